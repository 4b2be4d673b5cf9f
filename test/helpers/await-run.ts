import { getRun } from "../../src/runs/get-run.js";
import type { Run } from "../../src/runs/run.js";
import type { TestShip } from "./start-test-ship.js";
import { waitFor } from "./wait-for.js";

/** The run a comment started, once it ended and its status comment shows the end. */
export async function awaitRun(t: TestShip, commentId: number, timeoutMs = 60_000): Promise<Run> {
  const { repository } = t.world.sample;
  return waitFor(
    "the run to finish",
    async () => {
      const { rows } = await t.db.pool.query<{ id: number }>(
        "SELECT id::int AS id FROM runs WHERE (request->>'commentId')::bigint = $1",
        [commentId],
      );
      const run = rows[0] && (await getRun(t.db.pool, rows[0].id));
      if (!run || (run.state !== "succeeded" && run.state !== "failed")) return undefined;
      const final = run.state === "succeeded" ? "✅" : "❌";
      const shown = t.world.github
        .issueComments(repository, run.threadNumber)
        .some((c) => c.body.includes(`<!-- ship:run:${run.id} -->`) && c.body.includes(final));
      return shown ? run : undefined;
    },
    timeoutMs,
    200,
  );
}
