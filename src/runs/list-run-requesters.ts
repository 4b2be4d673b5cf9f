import type { Queryable } from "../db/queryable.js";

/** The people who asked for a repository's runs (at most `limit`, most recent first), for a filter's choices. */
export async function listRunRequesters(
  db: Queryable,
  repositoryId: number,
  limit = 100,
): Promise<string[]> {
  const { rows } = await db.query<{ login: string }>(
    `SELECT requester_login AS login FROM runs WHERE repository_id = $1
       GROUP BY requester_login ORDER BY max(id) DESC LIMIT $2`,
    [repositoryId, limit],
  );
  return rows.map((row) => row.login);
}
