import type { Queryable } from "../db/queryable.js";

/** What Ship tells someone it will not act on, as the once-only limit counts it. */
export type RefusalKind =
  /** No access, or not on the allow list: once per person and thread. */
  | "access"
  /** An edit that added `/ship`: once per person and thread. */
  | "edit"
  /** GitHub could not tell their permission: once per person, thread and day. */
  | "unverified";

/**
 * Whether Ship may post this refusal to this person on this thread (and notes that it
 * did): at most once per thread (once a day for `unverified`, a passing trouble), so
 * someone without access cannot make Ship spend the installation's content-creation
 * limit, or fill the thread, by commenting `/ship` over and over.
 */
export async function claimRefusalReply(
  db: Queryable,
  refusal: { repositoryId: number; threadNumber: number; userId: number },
  kind: RefusalKind = "access",
): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO refusal_replies (repository_id, thread_number, user_id, kind) VALUES ($1, $2, $3, $4)
     ON CONFLICT DO NOTHING`,
    [refusal.repositoryId, refusal.threadNumber, refusal.userId, kind],
  );
  return rowCount === 1;
}
