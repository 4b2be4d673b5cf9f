import { jest } from "@jest/globals";
import { getRun } from "../../src/runs/get-run.js";
import type { Run } from "../../src/runs/run.js";
import { askShip } from "../helpers/ask-ship.js";
import { awaitRun } from "../helpers/await-run.js";
import { startTestShip, type TestShip } from "../helpers/start-test-ship.js";
import { statusCommentOf } from "../helpers/status-comment-of.js";
import { statusCommentVersions } from "../helpers/status-comment-versions.js";
import { waitFor } from "../helpers/wait-for.js";

// End-to-end timing on a 2-core machine running two test files at once: one retry,
// with the first failure printed, so a scheduling hiccup does not fail the build.
jest.retryTimes(1, { logErrorsBeforeRetry: true });

/**
 * What the status comment says as a collaborator reads it: the agent's answer and plan,
 * who cancelled and how to retry, which run a retry retries, a time that moves.
 */
describe("the status comment, in words", () => {
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
  const runOf = async (commentId: number, ready: (run: Run) => boolean) =>
    waitFor(
      "the run",
      async () => {
        const { rows } = await t.db.pool.query<{ id: number }>(
          "SELECT id::int AS id FROM runs WHERE (request->>'commentId')::bigint = $1",
          [commentId],
        );
        const run = rows[0] && (await getRun(t.db.pool, rows[0].id));
        return run && ready(run) ? run : undefined;
      },
      30_000,
    );

  it("shows the agent's answer in full when it changed nothing", async () => {
    const { comment } = askShip(t, "/ship --model sim/no-changes is there a README?");
    const run = await awaitRun(t, comment.id);
    const body = statusCommentOf(t, run);
    expect(body).toContain("✅ **Ship** finished; the agent changed no files.");
    expect(body).toContain(
      "The agent's answer:\n\nThe repository already does what was asked; I changed nothing.",
    );
  });

  it("shows the agent's plan while it works and at the end, and the summary folded", async () => {
    const { comment } = askShip(t, "/ship --model sim/step-by-step add a README and a changelog");
    const run = await awaitRun(t, comment.id);
    const versions = statusCommentVersions(t, run.id);
    expect(
      versions.some(
        (body) =>
          body.includes("🚧") &&
          body.includes("**Agent's plan**") &&
          body.includes("- [ ] **Write the README**"),
      ),
    ).toBe(true);
    const final = statusCommentOf(t, run);
    expect(final).toContain("<details><summary>Agent's plan</summary>");
    expect(final).toContain("- [ ] Start a changelog");
    expect(final).toContain(
      "<details><summary>Agent's summary</summary>\n\nAdd a README and start a changelog",
    );
    expect(final).toContain("<summary>2 files changed</summary>");
    // What the agent was doing never shows under a later step.
    for (const body of versions) {
      if (body.includes("- [ ] **Push the commits**") || body.includes("**Open a draft pull")) {
        expect(body).not.toContain("Now:");
      }
    }
  });

  it("says a pull request is already ready instead of claiming to mark it again", async () => {
    const { issue, comment } = askShip(t, "/ship add a README");
    const run = await awaitRun(t, comment.id);
    const replyAfter = (afterId: number, text: string) =>
      waitFor(`a reply containing ${text}`, () =>
        t.world.github
          .issueComments(repository, issue.number)
          .find((c) => c.id > afterId && c.body.includes(text)),
      );
    const first = say(issue.number, "/ship ready");
    await replyAfter(first.id, "is ready for review");
    expect((await t.world.github.pullRequest(repository, run.prNumber as number)).draft).toBe(
      false,
    );
    const second = say(issue.number, "/ship ready");
    await replyAfter(second.id, `PR #${run.prNumber} is already ready for review.`);
  });

  it("moves the elapsed time while a step lasts, says who cancelled, offers a retry, and the retry says what it retries", async () => {
    const writer = t.world.sample.writer.login;
    const { issue, comment } = askShip(t, "/ship --model sim/stall add a README");
    const running = await runOf(comment.id, (run) => run.phase === "agent" && !!run.sandboxId);
    // The phase stays "agent" (the model stalls), yet the time moves past the first seconds.
    await waitFor(
      "the running time to move",
      () => /running for ([5-9]|\d\d)s/.test(statusCommentOf(t, running)),
      30_000,
    );
    const cancel = say(issue.number, "/ship cancel");
    const cancelled = await waitFor("the comment to say cancelled", () => {
      const body = statusCommentOf(t, running);
      return body.includes("🛑") ? body : undefined;
    });
    expect(cancelled).toContain(`🛑 **Ship** run cancelled by @${writer}.`);
    expect(cancelled).toContain("- [ ] Run the agent (cancelled here)");
    expect(cancelled).toMatch(
      /To try again, comment `\/ship retry`( or \[retry here\]\(http[^)]+\))?\./,
    );
    const retry = say(issue.number, "/ship retry");
    const second = await runOf(retry.id, (run) => run.retryOf === running.id);
    const retried = await waitFor("the retry's status comment", () => {
      const body = statusCommentOf(t, second);
      return body ? body : undefined;
    });
    expect(retried).toContain(`Retry of [run ${running.id}](`);
    expect(retried).toContain(`/runs/${running.id})`);
    say(issue.number, "/ship cancel");
    await waitFor("the retry to be cancelled", async () =>
      (await getRun(t.db.pool, second.id))?.state === "cancelled" ? true : undefined,
    );
    // The status comment tells the cancel: no other comment on top of it.
    await t.world.github.waitForDeliveries();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const after = t.world.github
      .issueComments(repository, issue.number)
      .filter(
        (c) =>
          c.id > cancel.id &&
          c.id < retry.id &&
          !c.body.includes(`<!-- ship:run:${running.id} -->`),
      );
    expect(after.map((c) => c.body)).toEqual([]);
  });
});
