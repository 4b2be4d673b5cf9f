import type { Queryable } from "../db/queryable.js";
import { type Run, runColumns } from "./run.js";

/**
 * Each repository's newest run, for the `limit` repositories with the most recent runs,
 * newest first, in one query. By repository id, as everywhere (names move); repositories
 * of an installation that was removed are left out, since Ship can no longer read them.
 */
export async function listLatestRunsByRepository(db: Queryable, limit: number): Promise<Run[]> {
  const { rows } = await db.query<Run>(
    `SELECT ${runColumns} FROM (
       SELECT DISTINCT ON (repository_id) * FROM runs r
        WHERE NOT EXISTS (SELECT 1 FROM installations i
                           WHERE i.id = r.installation_id AND i.deleted_at IS NOT NULL)
        ORDER BY repository_id, id DESC
     ) latest ORDER BY id DESC LIMIT $1`,
    [limit],
  );
  return rows;
}
