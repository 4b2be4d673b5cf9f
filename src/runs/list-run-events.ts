import type { Queryable } from "../db/queryable.js";
import type { RunEvent } from "./run-event.js";

/**
 * A page of a run's events in order. `after` continues a live view (events newer than
 * the last one shown); `before` pages back through a long log (the `limit` events just
 * before that id); neither gives the newest `limit` events.
 */
export async function listRunEvents(
  db: Queryable,
  runId: number,
  page: { after?: number; before?: number; limit: number; kinds?: string[] },
): Promise<RunEvent[]> {
  const values: unknown[] = [runId, page.limit];
  const where = ["run_id = $1"];
  if (page.after !== undefined) {
    values.push(page.after);
    where.push(`id > $${values.length}`);
  }
  if (page.before !== undefined) {
    values.push(page.before);
    where.push(`id < $${values.length}`);
  }
  if (page.kinds) {
    values.push(page.kinds);
    where.push(`kind = ANY($${values.length})`);
  }
  // Live views read forwards from `after`; otherwise take the newest page, then order it.
  const order = page.after !== undefined ? "ASC" : "DESC";
  const { rows } = await db.query<RunEvent>(
    `SELECT id::int AS id, at, kind, data FROM run_events WHERE ${where.join(" AND ")}
     ORDER BY id ${order} LIMIT $2`,
    values,
  );
  return order === "ASC" ? rows : rows.reverse();
}
