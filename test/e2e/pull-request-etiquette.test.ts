import { jest } from "@jest/globals";
import { askShip } from "../helpers/ask-ship.js";
import { awaitRun } from "../helpers/await-run.js";
import { commitFiles } from "../helpers/commit-file.js";
import { startTestShip, type TestShip } from "../helpers/start-test-ship.js";
import { waitFor } from "../helpers/wait-for.js";

// End-to-end timing on a 2-core machine running two test files at once: one retry,
// with the first failure printed, so a scheduling hiccup does not fail the build.
jest.retryTimes(1, { logErrorsBeforeRetry: true });

/**
 * What the pull request says and who it goes to: merging closes the issue, the body says
 * how to ask for changes, and the person who asked is asked to review it (or, when it is
 * their own pull request, has it assigned).
 */
describe("pull request etiquette", () => {
  let t: TestShip;
  let repository: string;
  beforeAll(async () => {
    t = await startTestShip();
    repository = t.world.sample.repository;
  });
  afterAll(async () => {
    await t?.stop();
  });

  const pullOf = (number: number | null) => t.world.github.pullRequest(repository, number ?? 0);

  it("closes the issue on merge, says how to ask for changes, and is assigned to the requester who authored it", async () => {
    const { writer } = t.world.sample;
    const { issue, comment } = askShip(t, "/ship add a README");
    const run = await awaitRun(t, comment.id);
    expect(run).toMatchObject({ state: "succeeded" });
    const pr = await waitFor("the PR assigned to the requester", async () => {
      const current = await pullOf(run.prNumber);
      return current.assignees.length > 0 ? current : undefined;
    });
    // Ship acted as the writer, so the PR is theirs: GitHub refuses a review request from
    // its own author, so it is assigned to them instead.
    expect(pr).toMatchObject({
      author: writer.login,
      assignees: [writer.login],
      requestedReviewers: [],
      title: "Add a README",
    });
    expect(pr.body).toContain(`\nFixes #${issue.number}\n`);
    expect(pr.body).not.toContain("Refs #");
    // Opened while the agent was still at work, and marked so until the run was done.
    const opened = await t.world.github.waitForDelivery(
      (d) =>
        d.event === "pull_request" &&
        d.action === "opened" &&
        (d.payload as { number?: number }).number === run.prNumber,
      10_000,
    );
    expect((opened.payload as { pull_request: { title: string } }).pull_request.title).toBe(
      "[WIP] Add a README",
    );
    expect(pr.body?.endsWith("Comment `/ship <instruction>` here to ask for changes.")).toBe(true);
  });

  it("with `closeIssue: false` refers to the issue only, and asks the requester to review Ship's own PR", async () => {
    await commitFiles(
      t.world,
      { ".github/ship.yml": "closeIssue: false\nactAs: app\n" },
      "Configure Ship",
    );
    const { writer } = t.world.sample;
    const { issue, comment } = askShip(t, "/ship add a README");
    const run = await awaitRun(t, comment.id);
    expect(run).toMatchObject({ state: "succeeded" });
    const pr = await waitFor("the review request", async () => {
      const current = await pullOf(run.prNumber);
      return current.requestedReviewers.length > 0 ? current : undefined;
    });
    expect(pr.author).not.toBe(writer.login);
    expect(pr).toMatchObject({ requestedReviewers: [writer.login], assignees: [] });
    expect(pr.body).toContain(`\nRefs #${issue.number}\n`);
    expect(pr.body).not.toMatch(/fixes #/i);
    expect(pr.body).toContain("Comment `/ship <instruction>` here to ask for changes.");
  });
});
