import { jest } from "@jest/globals";
import { askShip } from "../helpers/ask-ship.js";
import { startTestShip, type TestShip } from "../helpers/start-test-ship.js";
import { waitFor } from "../helpers/wait-for.js";

// End-to-end timing on a 2-core machine running two test files at once: one retry,
// with the first failure printed, so a scheduling hiccup does not fail the build.
jest.retryTimes(1, { logErrorsBeforeRetry: true });

/**
 * Run pages remember a visitor's access for 30 s, but not an answer GitHub's passing
 * trouble made: one 5xx must not hide a public run from everyone for the TTL.
 */
describe("viewer access when GitHub fails for a moment", () => {
  let t: TestShip;

  beforeAll(async () => {
    t = await startTestShip();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("shows a public run again on the next view after a 502 hid it", async () => {
    const repository = "acme/public-gadgets";
    await t.world.github.createRepository({
      owner: "acme",
      name: "public-gadgets",
      private: false,
    });
    t.world.github.addCollaborator(repository, t.world.sample.writer.login, "write");
    const { comment } = askShip(t, "/ship add a README", t.world.sample.writer.login, repository);
    const runId = await waitFor("the public repository's run to end", async () => {
      const { rows } = await t.db.pool.query<{ id: number }>(
        "SELECT id::int AS id FROM runs WHERE (request->>'commentId')::bigint = $1 AND state = 'succeeded'",
        [comment.id],
      );
      return rows[0]?.id;
    });
    const { rows } = await t.db.pool.query<{ repository_id: string }>(
      "SELECT repository_id FROM runs WHERE id = $1",
      [runId],
    );
    const fault = t.world.github.faults.add({
      method: "GET",
      path: new RegExp(`/repositories/${rows[0]?.repository_id}$`),
      effect: { type: "status", status: 502 },
    });
    const page = () => fetch(`${t.config.publicUrl}/runs/${runId}`, { redirect: "manual" });
    try {
      expect((await page()).status).toBe(404);
      expect(fault.hits).toBeGreaterThan(0);
    } finally {
      fault.remove();
    }
    // Well within the 30 s the cache keeps an answer.
    const again = await page();
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('class="state succeeded"');
  });
});
