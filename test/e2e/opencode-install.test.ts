import { jest } from "@jest/globals";
import { bareTemplate } from "../../src/sim/sandbox/start-sandbox-server.js";
import { askShip } from "../helpers/ask-ship.js";
import { awaitRun } from "../helpers/await-run.js";
import { startTestShip, type TestShip } from "../helpers/start-test-ship.js";

// Downloads OpenCode from the npm registry into the sandbox: slow, and the network may
// hiccup once.
jest.retryTimes(1, { logErrorsBeforeRetry: true });

/**
 * A team's own sandbox template may lack OpenCode (SHIP_SANDBOX_TEMPLATE pointing at a
 * template without it). Ship installs it at the start of the run and says what it cost.
 */
describe("a sandbox template without OpenCode", () => {
  let t: TestShip;
  beforeAll(async () => {
    t = await startTestShip({ SHIP_SANDBOX_TEMPLATE: bareTemplate });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("gets OpenCode installed at start, and the status comment notes the extra time", async () => {
    const { issue, comment } = askShip(t, "/ship add a README");
    const run = await awaitRun(t, comment.id, 480_000);
    expect(run.state).toBe("succeeded");
    expect(run.result?.pullRequest).toBeDefined();
    const status = t.world.github
      .issueComments(t.world.sample.repository, issue.number)
      .find((c) => c.body.includes(`<!-- ship:run:${run.id} -->`));
    expect(status?.body).toMatch(
      /\*\*Note:\*\* The sandbox template has no OpenCode, so Ship installed it first \(\d+ s more\)\. Whoever runs Ship can build Ship's template \(`npm run template:build`\)/,
    );
  }, 600_000);
});
