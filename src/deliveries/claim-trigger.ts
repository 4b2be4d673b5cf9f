import type { Queryable } from "../db/queryable.js";

/**
 * Marks a trigger as acted on, once: a comment by its id (issue and review comments are
 * separate series), an edit by its comment and the comment's `updated_at`, a label by
 * its issue, name and the issue's `updated_at` (a label
 * added again later has a later time). Returns false when it already was: the same
 * signed payload came again under a new `X-GitHub-Delivery` id (which the signature does
 * not cover), so the caller starts nothing and says nothing.
 */
export async function claimTrigger(
  db: Queryable,
  trigger: {
    kind:
      | "issue_comment"
      | "review_comment"
      | "issue_comment_edit"
      | "review_comment_edit"
      | "label";
    key: string;
    deliveryId: string;
  },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO handled_triggers (kind, key, delivery_id) VALUES ($1, $2, $3)
     ON CONFLICT (kind, key) DO NOTHING`,
    [trigger.kind, trigger.key, trigger.deliveryId],
  );
  return rowCount === 1;
}
