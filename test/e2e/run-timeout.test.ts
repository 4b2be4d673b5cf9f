import { Sandbox } from "e2b";
import { getRun } from "../../src/runs/get-run.js";
import { sandboxConnection } from "../../src/sandbox/sandbox-settings.js";
import { startTestShip, type TestShip } from "../helpers/start-test-ship.js";
import { waitFor } from "../helpers/wait-for.js";

describe("a run that exceeds its timeout", () => {
  let t: TestShip;
  beforeAll(async () => {
    t = await startTestShip({ SHIP_RUN_TIMEOUT: "8s" });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("ends with ❌ timeout and leaves no sandbox", async () => {
    const { repository, writer } = t.world.sample;
    const issue = t.world.github.createIssue({
      repository,
      author: writer.login,
      title: "Slow",
      body: "",
    });
    const comment = t.world.github.createIssueComment({
      repository,
      issueNumber: issue.number,
      author: writer.login,
      body: "/ship --model sim/stall add a README",
    });
    const run = await waitFor(
      "the run to fail",
      async () => {
        const { rows } = await t.db.pool.query<{ id: number }>(
          "SELECT id::int AS id FROM runs WHERE (request->>'commentId')::bigint = $1",
          [comment.id],
        );
        const found = rows[0] && (await getRun(t.db.pool, rows[0].id));
        const shown = t.world.github
          .issueComments(repository, issue.number)
          .some((c) => c.body.includes(`<!-- ship:run:${found?.id} -->`) && c.body.includes("❌"));
        return found?.state === "failed" && shown ? found : undefined;
      },
      40_000,
      200,
    );
    expect(run.errorCategory).toBe("timeout");
    const status = t.world.github
      .issueComments(repository, issue.number)
      .find((c) => c.body.includes(`<!-- ship:run:${run.id} -->`));
    expect(status?.body).toContain("❌");
    expect(status?.body).toContain("timeout");
    const left = await Sandbox.list({
      ...sandboxConnection(t.config.sandbox),
      query: { metadata: { shipRunId: String(run.id) } },
    }).nextItems();
    expect(left).toEqual([]);
  });
});
