import type { Queryable } from "../db/queryable.js";
import { type Run, runColumns } from "./run.js";

/** The run with this id, or undefined. */
export async function getRun(db: Queryable, runId: number): Promise<Run | undefined> {
  const { rows } = await db.query<Run>(`SELECT ${runColumns} FROM runs WHERE id = $1`, [runId]);
  return rows[0];
}
