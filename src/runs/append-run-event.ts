import type { Queryable } from "../db/queryable.js";

/** Adds one entry to a run's append-only event log. */
export async function appendRunEvent(
  db: Queryable,
  runId: number,
  kind: string,
  data: Record<string, unknown> = {},
): Promise<void> {
  await db.query("INSERT INTO run_events (run_id, kind, data) VALUES ($1, $2, $3)", [
    runId,
    kind,
    data,
  ]);
}
