import { jest } from "@jest/globals";
import { Octokit } from "@octokit/rest";
import { Sandbox } from "e2b";
import { PgBoss } from "pg-boss";
import { sendJob } from "../../src/queue/send-job.js";
import { getRun } from "../../src/runs/get-run.js";
import { sandboxConnection } from "../../src/sandbox/sandbox-settings.js";
import { askShip } from "../helpers/ask-ship.js";
import { awaitRun } from "../helpers/await-run.js";
import { startTestShip, type TestShip } from "../helpers/start-test-ship.js";
import { waitFor } from "../helpers/wait-for.js";

// End-to-end timing on a 2-core machine running two test files at once: one retry,
// with the first failure printed, so a scheduling hiccup does not fail the build.
jest.retryTimes(1, { logErrorsBeforeRetry: true });

/**
 * `/ship <task>` on an issue, end to end: a real signed webhook from the fake GitHub
 * to Ship's HTTP server, real Postgres and queue, a real sandbox (E2B stand-in), the
 * real `opencode` binary against the scripted model, a real git push and draft PR.
 */
describe("/ship <task> on an issue", () => {
  let t: TestShip;
  let repository: string;
  let owner: string;
  let repo: string;

  beforeAll(async () => {
    t = await startTestShip({ SHIP_RUN_TIMEOUT: "45s" });
    repository = t.world.sample.repository;
    [owner, repo] = repository.split("/") as [string, string];
  });
  afterAll(async () => {
    await t?.stop();
  });

  function statusComments(issueNumber: number, runId: number) {
    return t.world.github
      .issueComments(repository, issueNumber)
      .filter((c) => c.body.includes(`<!-- ship:run:${runId} -->`));
  }

  async function sandboxesOf(runId: number) {
    return Sandbox.list({
      ...sandboxConnection(t.config.sandbox),
      query: { metadata: { shipRunId: String(runId) } },
    }).nextItems();
  }

  it("opens a draft PR whose branch adds README.md on top of the default branch, and says so", async () => {
    const { issue, comment } = askShip(t, "/ship add a README");
    const run = await awaitRun(t, comment.id);
    expect(run).toMatchObject({ state: "succeeded", errorCategory: null });

    const pulls = await t.world.github.pullRequests(repository);
    const pr = pulls.find((p) => p.number === run.prNumber);
    expect(pr).toMatchObject({ draft: true, base: { ref: "main" }, head: { ref: run.branch } });
    expect(pr?.body).toContain(`\nFixes #${issue.number}\n`);
    expect(run.branch).toBe(`ship/add-a-readme-${issue.number}`);

    // The branch holds one commit on top of main that adds README.md.
    const octokit = new Octokit({
      baseUrl: t.world.github.apiUrl,
      auth: t.world.sample.writer.token,
    });
    const main = (await octokit.rest.git.getRef({ owner, repo, ref: "heads/main" })).data.object
      .sha;
    const head = (await octokit.rest.git.getRef({ owner, repo, ref: `heads/${run.branch}` })).data
      .object.sha;
    const commit = (await octokit.rest.git.getCommit({ owner, repo, commit_sha: head })).data;
    expect(commit.parents.map((p) => p.sha)).toEqual([main]);
    expect(commit.message).toContain("Add a README");
    // The writer authorized Ship, so the commit is theirs (no co-author trailer needed).
    expect(commit.author.email).toContain(t.world.sample.writer.login);
    expect(commit.message).not.toContain("Co-authored-by:");
    const readme = await octokit.rest.repos.getContent({
      owner,
      repo,
      path: "README.md",
      ref: run.branch as string,
    });
    expect(
      Buffer.from((readme.data as { content: string }).content, "base64").toString(),
    ).toContain("# widgets");

    // One status comment, final: ✅ with the PR link; the asking comment got 👀.
    const comments = statusComments(issue.number, run.id);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain("✅");
    expect(comments[0]?.body).toContain(pr?.htmlUrl);
    const reactions = t.world.github.reactions({ type: "issue_comment", id: comment.id });
    expect(reactions.map((r) => r.content)).toContain("eyes");

    await waitFor("the sandbox to be gone", async () =>
      (await sandboxesOf(run.id)).length === 0 ? true : undefined,
    );
  });

  it("retries a model that answers 500, then fails with its category and what to do", async () => {
    const { issue, comment } = askShip(t, "/ship --model sim/server-error add a README");
    const run = await awaitRun(t, comment.id);
    expect(run).toMatchObject({
      state: "failed",
      errorCategory: "provider_unavailable",
      prNumber: null,
    });
    const calls = t.world.model.requests.filter(
      (r) => r.kind === "turn" && r.script === "server-error",
    );
    expect(calls.length).toBeGreaterThan(1);
    const [status] = statusComments(issue.number, run.id);
    // A plain title, the code in small type, whole sentences, and the retry said once.
    expect(status?.body).toContain(
      "❌ **The model provider is unavailable** <sub>`provider_unavailable` · see docs/troubleshooting.md in Ship's repository</sub>",
    );
    expect(status?.body).toContain(
      "**What to do:** The model provider may be busy or down: wait a few minutes.",
    );
    expect(status?.body.match(/\/ship retry/g)).toHaveLength(1);
    expect(status?.body).toMatch(
      /To try again, comment `\/ship retry` or \[retry here\]\(http[^)]+\)\./,
    );
    await waitFor("the sandbox to be gone", async () =>
      (await sandboxesOf(run.id)).length === 0 ? true : undefined,
    );
  });

  it("fails at once when the model refuses the request (400)", async () => {
    const before = t.world.model.requests.filter((r) => r.script === "bad-request").length;
    const { issue, comment } = askShip(t, "/ship --model sim/bad-request add a README");
    const run = await awaitRun(t, comment.id);
    expect(run).toMatchObject({ state: "failed", errorCategory: "provider_rejected" });
    expect(t.world.model.requests.filter((r) => r.script === "bad-request").length - before).toBe(
      1,
    );
    const [status] = statusComments(issue.number, run.id);
    expect(status?.body).toContain("❌ **The model provider rejected the request**");
    // Another model may work, but the same retry cannot: no retry hint, no operator's settings.
    expect(status?.body).toContain("`/ship retry --model provider/model`");
    expect(status?.body).not.toContain("To try again");
    expect(status?.body).not.toContain("SHIP_MODEL");
  });

  it("says so, and opens no PR, when the agent changes nothing", async () => {
    const { issue, comment } = askShip(t, "/ship --model sim/no-changes add a README");
    const run = await awaitRun(t, comment.id);
    expect(run).toMatchObject({ state: "succeeded", prNumber: null });
    const [status] = statusComments(issue.number, run.id);
    expect(status?.body).toContain("✅ **Ship** finished; the agent changed no files.");
    // The agent's answer is the result of a run that changed nothing: shown, not dropped.
    expect(status?.body).toContain(
      "The agent's answer:\n\nThe repository already does what was asked; I changed nothing.",
    );
    expect(
      (await t.world.github.pullRequests(repository)).filter((p) => p.head.ref === run.branch),
    ).toEqual([]);
  });

  it("answers a reader with one short reply and starts nothing", async () => {
    const reader = t.world.sample.reader.login;
    const { issue, comment } = askShip(t, "/ship add a README", reader);
    const reply = await waitFor("Ship's reply", () =>
      t.world.github
        .issueComments(repository, issue.number)
        .find((c) => c.body.includes("write access")),
    );
    expect(reply.body).toContain(`@${reader}`);
    const { rows } = await t.db.pool.query(
      "SELECT 1 FROM runs WHERE (request->>'commentId')::bigint = $1",
      [comment.id],
    );
    expect(rows).toEqual([]);
    const { rows: deliveries } = await t.db.pool.query(
      "SELECT outcome FROM deliveries WHERE reason = 'role read'",
    );
    expect(deliveries.length).toBeGreaterThan(0);
    expect(
      t.world.github.issueComments(repository, issue.number).filter((c) => c.author !== reader),
    ).toHaveLength(1);
  });

  it("makes one run and one status comment when GitHub delivers the same webhook twice", async () => {
    const { issue, comment } = askShip(t, "/ship add a README");
    const run = await awaitRun(t, comment.id);
    const delivery = t.world.github.deliveries.find(
      (d) =>
        d.event === "issue_comment" &&
        (d.payload as { comment?: { id: number } }).comment?.id === comment.id,
    );
    if (!delivery) throw new Error("no delivery for the comment");
    const again = await t.world.github.redeliver(delivery.guid);
    expect(again.guid).toBe(delivery.guid);
    expect(again.statusCode).toBe(200);
    const { rows } = await t.db.pool.query(
      "SELECT id FROM runs WHERE (request->>'commentId')::bigint = $1",
      [comment.id],
    );
    expect(rows).toHaveLength(1);
    expect(statusComments(issue.number, run.id)).toHaveLength(1);
  });

  it("runs the thread's last failed request again on /ship retry", async () => {
    const { issue, comment } = askShip(t, "/ship --model sim/bad-request add a README");
    const failed = await awaitRun(t, comment.id);
    expect(failed.state).toBe("failed");
    const retry = t.world.github.createIssueComment({
      repository,
      issueNumber: issue.number,
      author: t.world.sample.writer.login,
      body: "/ship retry",
    });
    const again = await awaitRun(t, retry.id);
    expect(again).toMatchObject({ retryOf: failed.id, model: "sim/bad-request" });
    expect(again.request.task).toBe("add a README");
  });

  it("continues on the run's branch and PR when its job comes back after a worker died", async () => {
    const { issue, comment } = askShip(t, "/ship add a README");
    const first = await awaitRun(t, comment.id);
    // As if the worker died after opening the PR: the run is still running, its job retried.
    await t.db.pool.query("UPDATE runs SET state = 'running', finished_at = NULL WHERE id = $1", [
      first.id,
    ]);
    const boss = new PgBoss(t.db.url);
    await boss.start();
    await sendJob(boss, "run", { runId: first.id });
    await boss.stop({ graceful: false });

    const again = await waitFor(
      "the second attempt to finish",
      async () => {
        const run = await getRun(t.db.pool, first.id);
        return run?.attempts === 2 && run.state === "succeeded" ? run : undefined;
      },
      60_000,
      200,
    );
    expect(again).toMatchObject({ branch: first.branch, prNumber: first.prNumber });
    const pulls = (await t.world.github.pullRequests(repository)).filter((p) =>
      p.head.ref.startsWith(first.branch as string),
    );
    expect(pulls.map((p) => p.number)).toEqual([first.prNumber]);
    expect(statusComments(issue.number, first.id)).toHaveLength(1);
    // Killed right after the run is marked done.
    await waitFor("the sandbox to be gone", async () =>
      (await sandboxesOf(first.id)).length === 0 ? true : undefined,
    );
  });

  it("never adopts someone else's comment that carries the run's marker", async () => {
    const { rows } = await t.db.pool.query<{ next: number }>(
      "SELECT coalesce(max(id), 0)::int + 1 AS next FROM runs",
    );
    const next = rows[0]?.next as number;
    const issue = t.world.github.createIssue({
      repository,
      author: t.world.sample.reader.login,
      title: "Docs",
      body: "",
    });
    const decoy = t.world.github.createIssueComment({
      repository,
      issueNumber: issue.number,
      author: t.world.sample.reader.login,
      body: `<!-- ship:run:${next} --> nothing to see`,
    });
    const comment = t.world.github.createIssueComment({
      repository,
      issueNumber: issue.number,
      author: t.world.sample.writer.login,
      body: "/ship add a README",
    });
    const run = await awaitRun(t, comment.id);
    expect(run.id).toBe(next);
    expect(run.statusCommentId).not.toBe(decoy.id);
    const untouched = t.world.github
      .issueComments(repository, issue.number)
      .find((c) => c.id === decoy.id);
    expect(untouched?.body).toBe(`<!-- ship:run:${next} --> nothing to see`);
  });
});
