import type { Queryable } from "../db/queryable.js";
import { type Run, runColumns } from "./run.js";

/** The newest run of a thread (issue or pull request), if any. */
export async function findLatestRun(
  db: Queryable,
  repositoryId: number,
  threadNumber: number,
): Promise<Run | undefined> {
  const { rows } = await db.query<Run>(
    `SELECT ${runColumns} FROM runs WHERE repository_id = $1 AND thread_number = $2 ORDER BY id DESC LIMIT 1`,
    [repositoryId, threadNumber],
  );
  return rows[0];
}
