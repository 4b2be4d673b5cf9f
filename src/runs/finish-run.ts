import type { Queryable } from "../db/queryable.js";
import type { RunState } from "./run.js";

/** How a run ended. Errors carry a category users can act on, and a plain sentence. */
export type RunOutcome =
  | { state: "succeeded" }
  | { state: "cancelled"; message?: string }
  | { state: "failed"; category: string; message: string };

/**
 * Records a run's end, once: a run that already ended keeps its first outcome.
 * Returns false when it had already ended. A failed or cancelled run keeps the phase it
 * had reached, so its status comment can say where it stopped.
 */
export async function finishRun(
  db: Queryable,
  runId: number,
  outcome: RunOutcome,
): Promise<boolean> {
  const state: RunState = outcome.state;
  const category = outcome.state === "failed" ? outcome.category : null;
  const message = outcome.state === "succeeded" ? null : (outcome.message ?? null);
  const { rowCount } = await db.query(
    `UPDATE runs SET state = $2::run_state,
       phase = CASE WHEN $2::text = 'succeeded' THEN 'succeeded' ELSE phase END, error_category = $3, error_message = $4,
       finished_at = now(), updated_at = now()
     WHERE id = $1 AND state IN ('queued', 'running')`,
    [runId, state, category, message],
  );
  return rowCount === 1;
}
