import { jest } from "@jest/globals";
import { startTestShip, type TestShip } from "../helpers/start-test-ship.js";
import { waitFor } from "../helpers/wait-for.js";

// End-to-end timing on a 2-core machine running two test files at once: one retry,
// with the first failure printed, so a scheduling hiccup does not fail the build.
jest.retryTimes(1, { logErrorsBeforeRetry: true });

/** What Ship does with comments that do not start a run: through the real webhook path. */
describe("ingesting /ship comments", () => {
  let t: TestShip;
  let repository: string;

  beforeAll(async () => {
    t = await startTestShip();
    repository = t.world.sample.repository;
  });
  afterAll(async () => {
    await t?.stop();
  });

  function comment(body: string, author = t.world.sample.writer.login) {
    const issue = t.world.github.createIssue({ repository, author, title: "Something", body: "" });
    const created = t.world.github.createIssueComment({
      repository,
      issueNumber: issue.number,
      author,
      body,
    });
    return { issue, comment: created };
  }

  const replyOn = (issueNumber: number, commentId: number) =>
    waitFor("Ship's reply", () =>
      t.world.github
        .issueComments(repository, issueNumber)
        .find((c) => c.id !== commentId && c.body.includes("<!-- ship -->")),
    );

  async function deliveryOf(commentId: number) {
    return waitFor("the delivery to be recorded", async () => {
      const delivery = t.world.github.deliveries.find(
        (d) =>
          d.event === "issue_comment" &&
          (d.payload as { comment?: { id: number } }).comment?.id === commentId,
      );
      if (!delivery) return undefined;
      const { rows } = await t.db.pool.query<{ outcome: string; reason: string | null }>(
        "SELECT outcome, reason FROM deliveries WHERE id = $1",
        [delivery.guid],
      );
      return rows[0];
    });
  }

  async function runsFor(commentId: number) {
    const { rows } = await t.db.pool.query(
      "SELECT id FROM runs WHERE (request->>'commentId')::bigint = $1",
      [commentId],
    );
    return rows;
  }

  it("answers `/ship` alone with the usage", async () => {
    const { issue, comment: asked } = comment("/ship");
    const reply = await replyOn(issue.number, asked.id);
    expect(reply.body).toContain("**Usage**");
    expect(await runsFor(asked.id)).toEqual([]);
  });

  it("names an unknown option in its reply", async () => {
    const { issue, comment: asked } = comment("/ship --fast add a README");
    const reply = await replyOn(issue.number, asked.id);
    expect(reply.body).toContain("`--fast` is not an option Ship knows");
    expect(await runsFor(asked.id)).toEqual([]);
  });

  it("ignores comments that only look like commands", async () => {
    for (const body of ["/shipit", "> /ship add a README", "```\n/ship add a README\n```"]) {
      const { comment: asked } = comment(body);
      expect(await deliveryOf(asked.id)).toEqual({
        outcome: "ignored",
        reason: "not addressed to Ship",
      });
      expect(await runsFor(asked.id)).toEqual([]);
    }
  });

  it("never lets a bot trigger a run, Ship's own bot included", async () => {
    const { comment: asked } = comment("/ship add a README", "ship[bot]");
    expect(await deliveryOf(asked.id)).toEqual({ outcome: "ignored", reason: "written by a bot" });
    expect(await runsFor(asked.id)).toEqual([]);
  });

  it("denies, and says it could not verify permission, when GitHub's permission API fails", async () => {
    const fault = t.world.github.faults.add({
      path: /\/collaborators\/[^/]+\/permission$/,
      effect: { type: "status", status: 502 },
    });
    try {
      const { issue, comment: asked } = comment("/ship add a README");
      const reply = await replyOn(issue.number, asked.id);
      expect(reply.body).toContain("could not verify your permission");
      expect(await deliveryOf(asked.id)).toEqual({
        outcome: "denied",
        reason: "permission unknown",
      });
      expect(await runsFor(asked.id)).toEqual([]);
    } finally {
      fault.remove();
    }
  });

  it("refuses an unknown model before any run, listing the available ones", async () => {
    const { issue, comment: asked } = comment("/ship --model sim/no-such-script add a README");
    const reply = await replyOn(issue.number, asked.id);
    expect(reply.body).toContain("Ship cannot use the model `sim/no-such-script`");
    expect(reply.body).toContain("`sim/write-readme`");
    expect(await runsFor(asked.id)).toEqual([]);
  });
});
