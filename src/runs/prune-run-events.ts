import type { Queryable } from "../db/queryable.js";

/** Deletes run events older than `retentionMs`; returns how many went. Runs stay. */
export async function pruneRunEvents(db: Queryable, retentionMs: number): Promise<number> {
  const { rowCount } = await db.query(
    "DELETE FROM run_events WHERE at < now() - make_interval(secs => $1)",
    [retentionMs / 1000],
  );
  return rowCount ?? 0;
}
