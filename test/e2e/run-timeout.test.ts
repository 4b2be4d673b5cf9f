import { jest } from "@jest/globals";
import { Sandbox } from "e2b";
import { sandboxConnection } from "../../src/sandbox/sandbox-settings.js";
import { askShip } from "../helpers/ask-ship.js";
import { awaitRun } from "../helpers/await-run.js";
import { startTestShip, type TestShip } from "../helpers/start-test-ship.js";

// End-to-end timing on a 2-core machine running two test files at once: one retry,
// with the first failure printed, so a scheduling hiccup does not fail the build.
jest.retryTimes(1, { logErrorsBeforeRetry: true });

describe("a run that exceeds its timeout", () => {
  let t: TestShip;
  beforeAll(async () => {
    t = await startTestShip({ SHIP_RUN_TIMEOUT: "8s" });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("ends with ❌ timeout and leaves no sandbox", async () => {
    const { repository } = t.world.sample;
    const { issue, comment } = askShip(t, "/ship --model sim/stall add a README");
    const run = await awaitRun(t, comment.id, 40_000);
    expect(run.errorCategory).toBe("timeout");
    const status = t.world.github
      .issueComments(repository, issue.number)
      .find((c) => c.body.includes(`<!-- ship:run:${run.id} -->`));
    expect(status?.body).toContain("❌");
    expect(status?.body).toContain("❌ **The run took too long** <sub>`timeout`");
    expect(status?.body).toContain("To try again, comment `/ship retry`");
    const left = await Sandbox.list({
      ...sandboxConnection(t.config.sandbox),
      query: { metadata: { shipRunId: String(run.id) } },
    }).nextItems();
    expect(left).toEqual([]);
  });
});
