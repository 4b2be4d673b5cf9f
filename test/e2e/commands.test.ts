import { jest } from "@jest/globals";
import { Sandbox } from "e2b";
import { getRun } from "../../src/runs/get-run.js";
import { sandboxConnection } from "../../src/sandbox/sandbox-settings.js";
import { askShip } from "../helpers/ask-ship.js";
import { awaitRun } from "../helpers/await-run.js";
import { startTestShip, type TestShip } from "../helpers/start-test-ship.js";
import { waitFor } from "../helpers/wait-for.js";

// End-to-end timing on a 2-core machine running two test files at once: one retry,
// with the first failure printed, so a scheduling hiccup does not fail the build.
jest.retryTimes(1, { logErrorsBeforeRetry: true });

/** `/ship status`, `/ship ready` and `/ship cancel`, through the real webhook path. */
describe("thread commands", () => {
  let t: TestShip;
  let repository: string;
  beforeAll(async () => {
    t = await startTestShip();
    repository = t.world.sample.repository;
  });
  afterAll(async () => {
    await t?.stop();
  });

  const say = (issueNumber: number, body: string) =>
    t.world.github.createIssueComment({
      repository,
      issueNumber,
      author: t.world.sample.writer.login,
      body,
    });
  const replyAfter = (issueNumber: number, afterId: number, text: string) =>
    waitFor(`a reply containing ${text}`, () =>
      t.world.github
        .issueComments(repository, issueNumber)
        .find((c) => c.id > afterId && c.body.includes("<!-- ship -->") && c.body.includes(text)),
    );

  it("status tells the thread's last run, with its PR; ready marks the PR ready for review", async () => {
    const { issue, comment } = askShip(t, "/ship add a README");
    const run = await awaitRun(t, comment.id);
    const asked = say(issue.number, "/ship status");
    const status = await replyAfter(issue.number, asked.id, `Ship run ${run.id} succeeded.`);
    expect(status.body).toContain(run.result?.pullRequest?.url);
    expect(status.body).toContain(`#issuecomment-${run.statusCommentId}`);

    expect((await t.world.github.pullRequest(repository, run.prNumber as number)).draft).toBe(true);
    const ready = say(issue.number, "/ship ready");
    await replyAfter(issue.number, ready.id, "is ready for review");
    expect((await t.world.github.pullRequest(repository, run.prNumber as number)).draft).toBe(
      false,
    );
  });

  it("cancel stops a running run within seconds: sandbox gone, nothing pushed, comment says cancelled", async () => {
    const { issue, comment } = askShip(t, "/ship --model sim/stall add a README");
    const running = await waitFor(
      "the agent to be working",
      async () => {
        const { rows } = await t.db.pool.query<{ id: number }>(
          "SELECT id::int AS id FROM runs WHERE (request->>'commentId')::bigint = $1",
          [comment.id],
        );
        const run = rows[0] && (await getRun(t.db.pool, rows[0].id));
        return run?.phase === "agent" && run.sandboxId ? run : undefined;
      },
      30_000,
    );
    const cancelledAt = Date.now();
    say(issue.number, "/ship cancel");
    await waitFor(
      "the sandbox to be gone",
      async () =>
        (
          await Sandbox.list({
            ...sandboxConnection(t.config.sandbox),
            query: { metadata: { shipRunId: String(running.id) } },
          }).nextItems()
        ).length === 0,
      10_000,
    );
    expect(Date.now() - cancelledAt).toBeLessThan(10_000);
    const final = await waitFor("the comment to say cancelled", () =>
      t.world.github
        .issueComments(repository, issue.number)
        .find(
          (c) => c.body.includes(`<!-- ship:run:${running.id} -->`) && c.body.includes("cancelled"),
        ),
    );
    expect(final.body).toContain("🛑");
    expect((await getRun(t.db.pool, running.id))?.state).toBe("cancelled");
    // Give a worker that had not noticed yet the time to misbehave, then check nothing landed.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const pulls = await t.world.github.pullRequests(repository);
    expect(pulls.filter((p) => p.head.ref === running.branch)).toEqual([]);
    const [owner, repo] = repository.split("/") as [string, string];
    const branch = await fetch(
      `${t.world.github.apiUrl}/repos/${owner}/${repo}/git/ref/heads/${running.branch}`,
      {
        headers: { authorization: `token ${t.world.sample.writer.token}` },
      },
    );
    expect(branch.status).toBe(404);
  });

  it("says when there is nothing to cancel, and when there is no PR to mark ready", async () => {
    const { issue, comment } = askShip(t, "/ship cancel");
    await replyAfter(issue.number, comment.id, "No Ship run is queued or running");
    const ready = say(issue.number, "/ship ready");
    await replyAfter(issue.number, ready.id, "no pull request on this thread");
  });
});
