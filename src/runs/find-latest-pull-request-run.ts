import type { Queryable } from "../db/queryable.js";

/**
 * The thread's newest run that opened (or pushed to) a pull request, with the pull
 * request's number: what a new request on an issue may continue instead of opening
 * another one.
 */
export async function findLatestPullRequestRun(
  db: Queryable,
  repositoryId: number,
  threadNumber: number,
): Promise<{ runId: number; prNumber: number } | undefined> {
  const { rows } = await db.query<{ runId: number; prNumber: number }>(
    `SELECT id::int AS "runId", pr_number AS "prNumber" FROM runs
      WHERE repository_id = $1 AND thread_number = $2 AND pr_number IS NOT NULL
      ORDER BY id DESC LIMIT 1`,
    [repositoryId, threadNumber],
  );
  return rows[0];
}
