import { jest } from "@jest/globals";
import { askShip } from "../helpers/ask-ship.js";
import { awaitRun } from "../helpers/await-run.js";
import { commitFiles } from "../helpers/commit-file.js";
import { startTestShip, type TestShip } from "../helpers/start-test-ship.js";
import { waitFor } from "../helpers/wait-for.js";

// End-to-end timing on a 2-core machine running two test files at once: one retry,
// with the first failure printed, so a scheduling hiccup does not fail the build.
jest.retryTimes(1, { logErrorsBeforeRetry: true });
jest.setTimeout(180_000);

/** Ship's reply on the thread after `afterId` that contains `text`. */
const replyAfter = (t: TestShip, issueNumber: number, afterId: number, text: string) =>
  waitFor(
    `a reply containing ${text}`,
    () =>
      t.world.github
        .issueComments(t.world.sample.repository, issueNumber)
        .find((c) => c.id > afterId && c.body.includes("<!-- ship -->") && c.body.includes(text)),
    20_000,
  );

const runsOn = async (t: TestShip, issueNumber: number) => {
  const { rows } = await t.db.pool.query("SELECT id FROM runs WHERE thread_number = $1", [
    issueNumber,
  ]);
  return rows;
};

/**
 * The kill switch: the operator's SHIP_PAUSED and a repository's `paused:` stop new runs
 * (comment, retry, label) with one clear reply; thread commands still work.
 */
describe("the kill switch", () => {
  describe("SHIP_PAUSED, the operator's", () => {
    let t: TestShip;
    beforeAll(async () => {
      t = await startTestShip({ SHIP_PAUSED: "maintenance until 14:00 UTC" });
    });
    afterAll(async () => {
      await t?.stop();
    });

    it("answers a request with the reason and starts nothing; status and help still answer", async () => {
      const { issue, comment } = askShip(t, "/ship add a README");
      const reply = await replyAfter(t, issue.number, comment.id, "paused");
      expect(reply.body).toContain(
        "Ship is paused by the operator: maintenance until 14:00 UTC. No new runs start until it is resumed.",
      );
      expect(await runsOn(t, issue.number)).toEqual([]);
      expect(t.world.github.reactions({ type: "issue_comment", id: comment.id })).toEqual([]);

      const { repository, writer } = t.world.sample;
      const status = t.world.github.createIssueComment({
        repository,
        issueNumber: issue.number,
        author: writer.login,
        body: "/ship status",
      });
      await replyAfter(t, issue.number, status.id, "Ship has not run on this thread yet.");
      const help = t.world.github.createIssueComment({
        repository,
        issueNumber: issue.number,
        author: writer.login,
        body: "/ship help",
      });
      await replyAfter(t, issue.number, help.id, "**Usage**");
      const cancel = t.world.github.createIssueComment({
        repository,
        issueNumber: issue.number,
        author: writer.login,
        body: "/ship cancel",
      });
      await replyAfter(t, issue.number, cancel.id, "No Ship run is queued or running");
    });

    it("answers the label with the reason, starts nothing, and takes the label off", async () => {
      const { repository, writer } = t.world.sample;
      const issue = t.world.github.createIssue({
        repository,
        author: writer.login,
        title: "Add a README",
        body: "Please.",
      });
      t.world.github.addLabels({
        repository,
        issueNumber: issue.number,
        labels: ["ship"],
        actor: writer.login,
      });
      await replyAfter(t, issue.number, 0, "Ship is paused by the operator");
      await waitFor(
        "the label to be taken off",
        () => !t.world.github.issue(repository, issue.number).labels.includes("ship"),
      );
      expect(await runsOn(t, issue.number)).toEqual([]);
    });
  });

  describe("`paused:` in a repository's .github/ship.yml", () => {
    let t: TestShip;
    beforeAll(async () => {
      t = await startTestShip();
    });
    afterAll(async () => {
      await t?.stop();
    });

    it("answers a request and a retry with the repository's reason, and starts nothing", async () => {
      // A run fails before the pause, so there is something to retry.
      const { issue, comment } = askShip(t, "/ship --model sim/bad-request add a README");
      const failed = await awaitRun(t, comment.id, 150_000);
      await commitFiles(t.world, { ".github/ship.yml": 'paused: "moving to a new CI"\n' });

      const asked = askShip(t, "/ship add a README");
      const reply = await replyAfter(t, asked.issue.number, asked.comment.id, "paused");
      expect(reply.body).toContain(
        "Ship is paused in this repository (`paused:` in `.github/ship.yml`): moving to a new CI.",
      );
      expect(await runsOn(t, asked.issue.number)).toEqual([]);

      const { repository, writer } = t.world.sample;
      const retry = t.world.github.createIssueComment({
        repository,
        issueNumber: issue.number,
        author: writer.login,
        body: "/ship retry",
      });
      await replyAfter(t, issue.number, retry.id, "Ship is paused in this repository");
      const { rows } = await t.db.pool.query("SELECT id FROM runs WHERE retry_of = $1", [
        failed.id,
      ]);
      expect(rows).toEqual([]);
      const status = t.world.github.createIssueComment({
        repository,
        issueNumber: issue.number,
        author: writer.login,
        body: "/ship status",
      });
      await replyAfter(t, issue.number, status.id, `Ship run ${failed.id} failed`);
    });

    it("runs again once `paused: false`", async () => {
      await commitFiles(t.world, { ".github/ship.yml": "paused: false\n" });
      const { comment } = askShip(t, "/ship add a README");
      const run = await awaitRun(t, comment.id, 150_000);
      expect(run.state).toBe("succeeded");
    });
  });
});
