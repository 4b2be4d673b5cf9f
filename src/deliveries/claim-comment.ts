import type { Queryable } from "../db/queryable.js";

/**
 * Marks a comment as acted on, once per kind (issue comment or review comment: their
 * ids are separate series). Returns false when it already was: the same signed payload
 * came again under a new `X-GitHub-Delivery` id (which the signature does not cover),
 * so the caller starts nothing and says nothing.
 */
export async function claimComment(
  db: Queryable,
  comment: { kind: "issue_comment" | "review_comment"; id: number; deliveryId: string },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO handled_comments (kind, comment_id, delivery_id) VALUES ($1, $2, $3)
     ON CONFLICT (kind, comment_id) DO NOTHING`,
    [comment.kind, comment.id, comment.deliveryId],
  );
  return rowCount === 1;
}
