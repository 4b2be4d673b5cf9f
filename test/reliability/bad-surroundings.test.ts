import { jest } from "@jest/globals";
import { Octokit } from "@octokit/rest";
import pino from "pino";
import { getRun } from "../../src/runs/get-run.js";
import type { Run } from "../../src/runs/run.js";
import { listRunSandboxes } from "../../src/sandbox/list-run-sandboxes.js";
import { askShip } from "../helpers/ask-ship.js";
import { awaitRun } from "../helpers/await-run.js";
import { startTestShip, type TestShip } from "../helpers/start-test-ship.js";
import { waitFor } from "../helpers/wait-for.js";

jest.retryTimes(1, { logErrorsBeforeRetry: true });

/**
 * The world changes under a run: huge input, the comment, the issue or the repository
 * deleted, the installation suspended. Each run still ends, says why where it can (or
 * in Ship's log where GitHub no longer lets it), and leaves nothing running.
 */
describe("bad surroundings", () => {
  let t: TestShip;
  const logs: Array<{ level: number; msg: string; err?: { message?: string } }> = [];

  const runOf = async (commentId: number) => {
    const { rows } = await t.db.pool.query<{ id: number }>(
      "SELECT id::int AS id FROM runs WHERE (request->>'commentId')::bigint = $1",
      [commentId],
    );
    return rows[0] ? getRun(t.db.pool, rows[0].id) : undefined;
  };
  const whenWorking = (commentId: number) =>
    waitFor("the agent to be working", async () => {
      const run = await runOf(commentId);
      return run?.phase === "agent" ? run : undefined;
    });
  const ended = (commentId: number) =>
    waitFor(
      "the run to end",
      async () => {
        const run = await runOf(commentId);
        return run && run.state !== "queued" && run.state !== "running" ? run : undefined;
      },
      60_000,
      200,
    );
  /** The run's sandbox is killed, and the run says so, soon after it ends. */
  const expectNothingLeft = (run: Run) =>
    waitFor(
      "the run's sandbox to be gone",
      async () => {
        const left = (await listRunSandboxes(t.config.sandbox, t.world.app.id)).filter(
          (sandbox) => sandbox.runId === run.id,
        );
        return left.length === 0 && (await getRun(t.db.pool, run.id))?.sandboxId === null;
      },
      10_000,
    );
  const logged = (pattern: RegExp) =>
    logs.some((entry) => pattern.test(`${entry.msg} ${entry.err?.message ?? ""}`));

  beforeAll(async () => {
    const log = pino(
      { level: "info" },
      { write: (line: string) => void logs.push(JSON.parse(line)) },
    );
    t = await startTestShip({}, { log });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("takes a 64 KB issue as its task's context", async () => {
    const { repository } = t.world.sample;
    const body =
      `${"The widget counter is off by one when the list is empty. ".repeat(1_150)}`.slice(
        0,
        65_536,
      );
    const issue = t.world.github.createIssue({
      repository,
      author: t.world.sample.writer.login,
      title: "Counter is wrong",
      body,
    });
    const comment = t.world.github.createIssueComment({
      repository,
      issueNumber: issue.number,
      author: t.world.sample.writer.login,
      body: "/ship add a README",
    });
    const run = await awaitRun(t, comment.id);
    expect(run.state).toBe("succeeded");
    expect(run.result?.pullRequest).toBeDefined();
  });

  it("goes on when the comment that asked is deleted mid-run", async () => {
    const { comment } = askShip(t, "/ship --model sim/slow-readme add a README");
    await whenWorking(comment.id);
    const admin = new Octokit({
      baseUrl: t.world.github.apiUrl,
      auth: t.world.github.createPersonalToken(t.world.sample.installer),
    });
    const [owner, repo] = t.world.sample.repository.split("/") as [string, string];
    await admin.rest.issues.deleteComment({ owner, repo, comment_id: comment.id });
    const run = await awaitRun(t, comment.id);
    expect(run.state).toBe("succeeded");
    await expectNothingLeft(run);
  });

  it("ends, and says so in its log, when the issue is deleted mid-run", async () => {
    const { issue, comment } = askShip(t, "/ship --model sim/slow-readme add a README");
    await whenWorking(comment.id);
    t.world.github.deleteIssue(t.world.sample.repository, issue.number);
    const run = await ended(comment.id);
    await expectNothingLeft(run);
    expect(logged(/could not (update the status comment|set the thread's state label)/)).toBe(true);
  });

  it("finishes on the new name when the repository is renamed mid-run", async () => {
    // A new name each attempt: a retried test must not find the last attempt's repository.
    const name = `gizmos-${Date.now()}`;
    const repository = `acme/${name}`;
    await t.world.github.createRepository({ owner: "acme", name });
    t.world.github.addCollaborator(repository, t.world.sample.writer.login, "write");
    // Ship acts as the installer, who must be able to push there too.
    t.world.github.addCollaborator(repository, t.world.sample.installer, "admin");
    const { issue, comment } = askShip(
      t,
      "/ship --model sim/slow-readme add a README",
      t.world.sample.writer.login,
      repository,
    );
    await whenWorking(comment.id);
    t.world.github.renameRepository(repository, `${name}-renamed`);
    const run = await ended(comment.id);
    expect({ state: run.state, error: run.errorMessage }).toEqual({
      state: "succeeded",
      error: null,
    });
    const pulls = await t.world.github.pullRequests(`${repository}-renamed`);
    expect(pulls.map((pr) => pr.number)).toEqual([run.prNumber]);
    // The final comment follows the run's end by a moment.
    await waitFor("the final status comment", () =>
      t.world.github
        .issueComments(`${repository}-renamed`, issue.number)
        .some((c) => c.body.includes(`<!-- ship:run:${run.id} -->`) && c.body.includes("✅")),
    );
    await expectNothingLeft(run);
  });

  it("fails with what happened when the repository is deleted mid-run", async () => {
    const name = `doomed-${Date.now()}`;
    const repository = `acme/${name}`;
    await t.world.github.createRepository({ owner: "acme", name });
    t.world.github.addCollaborator(repository, t.world.sample.writer.login, "write");
    t.world.github.addCollaborator(repository, t.world.sample.installer, "admin");
    const { comment } = askShip(
      t,
      "/ship --model sim/slow-readme add a README",
      t.world.sample.writer.login,
      repository,
    );
    await whenWorking(comment.id);
    t.world.github.deleteRepository(repository);
    const run = await ended(comment.id);
    expect(run.state).toBe("failed");
    expect(run.errorMessage).toMatch(/not found|no longer|deleted|404/i);
    await expectNothingLeft(run);
    expect(logged(/run failed/)).toBe(true);
  });

  it("ends when the installation is suspended mid-run, and logs why", async () => {
    const { comment } = askShip(t, "/ship --model sim/slow-readme add a README");
    await whenWorking(comment.id);
    t.world.github.suspendInstallation(t.world.sample.installationId);
    const run = await ended(comment.id);
    await expectNothingLeft(run);
    expect(logged(/suspended/)).toBe(true);
    const { rows } = await t.db.pool.query("SELECT suspended_at FROM installations WHERE id = $1", [
      t.world.sample.installationId,
    ]);
    expect(rows[0]?.suspended_at).not.toBeNull();
  });
});
