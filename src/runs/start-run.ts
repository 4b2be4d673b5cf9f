import type { Queryable } from "../db/queryable.js";

/**
 * Marks a queued (or resumed) run as running and counts the attempt. Returns false when
 * the run has already finished, e.g. it was cancelled while waiting.
 */
export async function startRun(db: Queryable, runId: number): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE runs SET state = 'running', attempts = attempts + 1,
       started_at = coalesce(started_at, now()), updated_at = now()
     WHERE id = $1 AND state IN ('queued', 'running')`,
    [runId],
  );
  return rowCount === 1;
}
