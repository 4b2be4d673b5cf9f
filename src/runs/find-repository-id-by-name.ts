import type { Queryable } from "../db/queryable.js";

/**
 * The repository a name stands for in Ship's records: the one of the newest run asked
 * under that name. Older runs under the same name may be of another repository (renamed
 * since, its name taken by a new one), so a history lists runs by this id, never by name.
 */
export async function findRepositoryIdByName(
  db: Queryable,
  repository: string,
): Promise<{ repositoryId: number; installationId: number } | undefined> {
  const { rows } = await db.query<{ repositoryId: number; installationId: number }>(
    `SELECT repository_id::float8 AS "repositoryId", installation_id::float8 AS "installationId"
       FROM runs WHERE lower(repository) = lower($1) ORDER BY id DESC LIMIT 1`,
    [repository],
  );
  return rows[0];
}
