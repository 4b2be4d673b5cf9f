import type { Queryable } from "../db/queryable.js";
import { type Run, runColumns } from "./run.js";

/** The run that retried `runId` (the newest, if several did), if any. */
export async function findRetryOf(db: Queryable, runId: number): Promise<Run | undefined> {
  const { rows } = await db.query<Run>(
    `SELECT ${runColumns} FROM runs WHERE retry_of = $1 ORDER BY id DESC LIMIT 1`,
    [runId],
  );
  return rows[0];
}
