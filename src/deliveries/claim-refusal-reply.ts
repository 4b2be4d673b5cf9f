import type { Queryable } from "../db/queryable.js";

/**
 * Whether Ship may post a refusal to this person on this thread today (and notes that it
 * did): at most one a day, so someone without access cannot make Ship spend the
 * installation's content-creation limit by commenting `/ship` over and over.
 */
export async function claimRefusalReply(
  db: Queryable,
  refusal: { repositoryId: number; threadNumber: number; userId: number },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO refusal_replies (repository_id, thread_number, user_id) VALUES ($1, $2, $3)
     ON CONFLICT DO NOTHING`,
    [refusal.repositoryId, refusal.threadNumber, refusal.userId],
  );
  return rowCount === 1;
}
