import type { Queryable } from "../db/queryable.js";
import { type Run, runColumns } from "./run.js";

/** A repository's runs, newest first; `before` (a run id) pages back. */
export async function listRuns(
  db: Queryable,
  repository: string,
  page: { before?: number; limit: number },
): Promise<Run[]> {
  const { rows } = await db.query<Run>(
    `SELECT ${runColumns} FROM runs WHERE lower(repository) = lower($1)
       AND ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
    [repository, page.before ?? null, page.limit],
  );
  return rows;
}
