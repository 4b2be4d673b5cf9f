import type { Queryable } from "../db/queryable.js";
import { type Run, runColumns } from "./run.js";

/**
 * A repository's runs, newest first; `before` (a run id) pages back. By repository id:
 * a name may have belonged to another repository (renamed, then a new one created).
 */
export async function listRuns(
  db: Queryable,
  repositoryId: number,
  page: { before?: number; limit: number },
): Promise<Run[]> {
  const { rows } = await db.query<Run>(
    `SELECT ${runColumns} FROM runs WHERE repository_id = $1
       AND ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
    [repositoryId, page.before ?? null, page.limit],
  );
  return rows;
}
