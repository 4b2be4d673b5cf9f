import { jest } from "@jest/globals";
import { Octokit } from "@octokit/rest";
import { getRun } from "../../src/runs/get-run.js";
import type { Run } from "../../src/runs/run.js";
import { askShip } from "../helpers/ask-ship.js";
import { awaitRun } from "../helpers/await-run.js";
import { startTestShip, type TestShip } from "../helpers/start-test-ship.js";
import { waitFor } from "../helpers/wait-for.js";

// End-to-end timing on a 2-core machine running two test files at once: one retry,
// with the first failure printed, so a scheduling hiccup does not fail the build.
jest.retryTimes(1, { logErrorsBeforeRetry: true });
// Each test waits for whole runs; on a loaded machine one takes up to a minute or two.
jest.setTimeout(180_000);

/**
 * The command grammar as a collaborator meets it, through the real webhook path:
 * `/Ship`, `/ship retry --model`, a refused subcommand, a `--branch` that exists, two
 * `/ship` lines in one comment, readers' help and status, and one PR per issue.
 */
describe("the command grammar", () => {
  let t: TestShip;
  let repository: string;
  beforeAll(async () => {
    t = await startTestShip();
    repository = t.world.sample.repository;
  });
  afterAll(async () => {
    await t?.stop();
  });

  const say = (issueNumber: number, body: string, author = t.world.sample.writer.login) =>
    t.world.github.createIssueComment({ repository, issueNumber, author, body });
  /** Ship's reply (its marker, not a run's status comment) after `afterId` with `text`. */
  const replyAfter = (issueNumber: number, afterId: number, text: string) =>
    waitFor(
      `a reply containing ${text}`,
      () =>
        t.world.github
          .issueComments(repository, issueNumber)
          .find((c) => c.id > afterId && c.body.includes("<!-- ship -->") && c.body.includes(text)),
      20_000,
    );
  const runsFor = async (commentId: number) => {
    const { rows } = await t.db.pool.query<{ id: number }>(
      "SELECT id::int AS id FROM runs WHERE (request->>'commentId')::bigint = $1",
      [commentId],
    );
    return rows;
  };
  /** What Ship recorded for the comment's delivery, once it has. */
  const recorded = (commentId: number) =>
    waitFor("the delivery to be recorded", async () => {
      const sent = t.world.github.deliveries.find(
        (d) =>
          d.event === "issue_comment" &&
          (d.payload as { comment?: { id: number } }).comment?.id === commentId,
      );
      if (!sent) return undefined;
      const { rows } = await t.db.pool.query<{ outcome: string; reason: string | null }>(
        "SELECT outcome, reason FROM deliveries WHERE id = $1",
        [sent.guid],
      );
      return rows[0];
    });

  it("takes `/Ship` and `/SHIP` as `/ship` (phone keyboards capitalize)", async () => {
    const { comment } = askShip(t, "/Ship add a README");
    const run = await awaitRun(t, comment.id, 150_000);
    expect(run.state).toBe("succeeded");
    expect(run.request.task).toBe("add a README");
    const upper = askShip(t, "/SHIP status");
    await replyAfter(upper.issue.number, upper.comment.id, "Ship has not run on this thread yet.");
  });

  describe("on a thread whose run failed", () => {
    let issueNumber: number;
    let failed: Run;
    let retried: Run;
    beforeAll(async () => {
      const { issue, comment } = askShip(t, "/ship --model sim/bad-request add a README");
      issueNumber = issue.number;
      failed = await awaitRun(t, comment.id, 150_000);
    });

    it("refuses `/ship retry --branch x` with what a retry takes and the usage, starting nothing", async () => {
      expect(failed.state).toBe("failed");
      const asked = say(issueNumber, "/ship retry --branch docs/readme");
      const reply = await replyAfter(issueNumber, asked.id, "`/ship retry` cannot take `--branch`");
      expect(reply.body).toContain("It takes `--model provider/model` only");
      expect(reply.body).toContain("**Usage**");
      expect(await recorded(asked.id)).toEqual({ outcome: "ignored", reason: "invalid command" });
      const { rows } = await t.db.pool.query("SELECT id FROM runs WHERE retry_of = $1", [
        failed.id,
      ]);
      expect(rows).toEqual([]);
    });

    it("retries the failed run with `/ship retry --model x`: that model, the same task, no junk PR", async () => {
      const asked = say(issueNumber, "/ship retry --model sim/write-readme");
      retried = await awaitRun(t, asked.id, 150_000);
      expect(retried).toMatchObject({
        retryOf: failed.id,
        model: "sim/write-readme",
        state: "succeeded",
        request: { task: "add a README", options: { model: "sim/write-readme" } },
      });
      const pull = await t.world.github.pullRequest(repository, retried.prNumber as number);
      expect(pull.title).toBe("Add a README");
      expect(pull.head.ref).not.toMatch(/retry/);
    });

    it("says, on `/ship retry` after a success, which run succeeded, its PR and where to ask for changes", async () => {
      const asked = say(issueNumber, "/ship retry");
      const reply = await replyAfter(issueNumber, asked.id, `Run ${retried.id} on this thread`);
      expect(reply.body).toContain(
        `Run ${retried.id} on this thread succeeded (PR #${retried.prNumber}). \`/ship retry\` repeats a failed or cancelled run; comment \`/ship <instruction>\` on the PR to change it.`,
      );
      expect(await runsFor(asked.id)).toEqual([]);
    });

    it("points a new request on the issue to its open PR, and `--new` starts a fresh branch", async () => {
      const asked = say(issueNumber, "/ship add a license");
      const reply = await replyAfter(issueNumber, asked.id, `PR #${retried.prNumber} is open`);
      expect(reply.body).toContain(
        `PR #${retried.prNumber} is open from run ${retried.id}: comment \`/ship <instruction>\` there to change it, or add \`--new\` to start a fresh branch.`,
      );
      expect(await recorded(asked.id)).toEqual({ outcome: "ignored", reason: "open pull request" });
      expect(await runsFor(asked.id)).toEqual([]);

      const fresh = say(issueNumber, "/ship --new add a license");
      const run = await awaitRun(t, fresh.id, 150_000);
      expect(run.state).toBe("succeeded");
      expect(run.request.task).toBe("add a license");
      expect(run.prNumber).not.toBe(retried.prNumber);
      expect(run.branch).not.toBe(retried.branch);
    });
  });

  it("refuses a subcommand word followed by more words, with usage, never as a task", async () => {
    const { issue, comment } = askShip(t, "/ship status page is blank");
    const reply = await replyAfter(issue.number, comment.id, "`/ship status` takes no options");
    expect(reply.body).toContain('For a task that starts with "status", put another word first');
    expect(reply.body).toContain("**Usage**");
    expect(await runsFor(comment.id)).toEqual([]);
  });

  it("refuses a `--branch` that exists before any run: no run, no 👀, no status comment", async () => {
    const [owner, repo] = repository.split("/") as [string, string];
    const octokit = new Octokit({
      baseUrl: t.world.github.apiUrl,
      auth: t.world.sample.writer.token,
    });
    const main = await octokit.rest.git.getRef({ owner, repo, ref: "heads/main" });
    await octokit.rest.git.createRef({
      owner,
      repo,
      ref: "refs/heads/docs/existing",
      sha: main.data.object.sha,
    });
    const { issue, comment } = askShip(t, "/ship --branch docs/existing add a README");
    const reply = await replyAfter(issue.number, comment.id, "already exists");
    expect(reply.body).toContain(
      "Ship did not start: the branch named with `--branch` `docs/existing` already exists",
    );
    expect(reply.body).toContain("Name another branch with `--branch`, or leave it out");
    expect(await recorded(comment.id)).toEqual({ outcome: "ignored", reason: "protected branch" });
    expect(await runsFor(comment.id)).toEqual([]);
    await t.world.github.waitForDeliveries();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(t.world.github.reactions({ type: "issue_comment", id: comment.id })).toEqual([]);
    const comments = t.world.github.issueComments(repository, issue.number);
    expect(comments.filter((c) => c.body.includes("<!-- ship:run:"))).toEqual([]);
    expect(t.world.github.issue(repository, issue.number).labels).toEqual([]);
  });

  it("runs the first of two `/ship` lines and says in one line that the second was not run", async () => {
    const { issue, comment } = askShip(
      t,
      "/ship add a README\n/ship --model sim/add-license add a license",
    );
    const reply = await replyAfter(issue.number, comment.id, "One request per comment");
    expect(reply.body).toContain(
      "One request per comment: the second `/ship` line was not run; comment it on its own.",
    );
    const run = await awaitRun(t, comment.id, 150_000);
    expect(run.request.task).toBe("add a README");
    expect(run.model).toBe("sim/write-readme");
    expect(await runsFor(comment.id)).toHaveLength(1);
  });

  it("answers a reader's `/ship help` and `/ship status`; their task is refused with usage and whom to ask", async () => {
    const reader = t.world.sample.reader.login;
    const { issue, comment } = askShip(t, "/ship help", reader);
    const help = await replyAfter(issue.number, comment.id, "**Usage**");
    expect(help.body).not.toContain("write access");
    const status = say(issue.number, "/ship status", reader);
    await replyAfter(issue.number, status.id, "Ship has not run on this thread yet.");
    const task = say(issue.number, "/ship add a README", reader);
    const refusal = await replyAfter(issue.number, task.id, "write access");
    expect(refusal.body).toContain(`@${reader} Ship only takes requests from people with write`);
    expect(refusal.body).toContain("Ask a maintainer to comment it for you.");
    expect(refusal.body).toContain("**Usage**");
    expect(await runsFor(task.id)).toEqual([]);
  });

  it("tells the state in plain words: `/ship status` on a failed run", async () => {
    const { issue, comment } = askShip(t, "/ship --model sim/bad-request add a README");
    const run = await awaitRun(t, comment.id, 150_000);
    const asked = say(issue.number, "/ship status");
    const reply = await replyAfter(issue.number, asked.id, `Ship run ${run.id} failed`);
    expect(reply.body).not.toContain("**failed**");
    expect(reply.body).toMatch(new RegExp(`Ship run ${run.id} failed \\([a-z][^)]+\\)\\.`));
    expect((await getRun(t.db.pool, run.id))?.state).toBe("failed");
  });
});
