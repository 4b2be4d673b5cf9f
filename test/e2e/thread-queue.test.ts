import { jest } from "@jest/globals";
import type { Run } from "../../src/runs/run.js";
import { askShip } from "../helpers/ask-ship.js";
import { awaitRun } from "../helpers/await-run.js";
import { startTestShip, type TestShip } from "../helpers/start-test-ship.js";
import { waitFor } from "../helpers/wait-for.js";

// End-to-end timing on a 2-core machine running two test files at once: one retry,
// with the first failure printed, so a scheduling hiccup does not fail the build.
jest.retryTimes(1, { logErrorsBeforeRetry: true });

/** One run at a time per thread; different threads in parallel. */
describe("runs queue per thread", () => {
  let t: TestShip;
  beforeAll(async () => {
    t = await startTestShip();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("runs a thread's second request after its first, saying where it waits", async () => {
    const { repository, writer } = t.world.sample;
    const { issue, comment: first } = askShip(t, "/ship --model sim/slow-readme add a README");
    const second = t.world.github.createIssueComment({
      repository,
      issueNumber: issue.number,
      author: writer.login,
      body: "/ship --model sim/slow-readme add a README section",
    });
    const waiting = await waitFor("the second run's queued comment", () =>
      t.world.github
        .issueComments(repository, issue.number)
        .find((c) => c.body.includes("Waiting for run") && c.body.includes("position 1")),
    );
    // GitHub may deliver the two webhooks in either order: the run Ship recorded first
    // (the lower id) goes first, the other waits for it.
    const runs = await Promise.all([awaitRun(t, first.id), awaitRun(t, second.id)]);
    const [earlier, later] = runs.sort((a, b) => a.id - b.id) as [Run, Run];
    expect(waiting.body).toContain(`<!-- ship:run:${later.id} -->`);
    expect(waiting.body).toContain(`Waiting for run ${earlier.id}`);
    expect(earlier.state).toBe("succeeded");
    expect(later.state).toBe("succeeded");
    expect((later.startedAt as Date).getTime()).toBeGreaterThanOrEqual(
      (earlier.finishedAt as Date).getTime(),
    );
  });

  it("runs requests on two threads at the same time", async () => {
    const a = askShip(t, "/ship --model sim/slow-readme add a README");
    const b = askShip(t, "/ship --model sim/slow-readme add a README");
    const [runA, runB] = await Promise.all([awaitRun(t, a.comment.id), awaitRun(t, b.comment.id)]);
    const overlap =
      Math.min((runA.finishedAt as Date).getTime(), (runB.finishedAt as Date).getTime()) -
      Math.max((runA.startedAt as Date).getTime(), (runB.startedAt as Date).getTime());
    expect(overlap).toBeGreaterThan(0);
  });
});
