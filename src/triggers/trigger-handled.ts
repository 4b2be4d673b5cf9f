import type { Queryable } from "../db/queryable.js";

/**
 * Whether a trigger (as `claimTrigger` keys it) was already acted on: read before any
 * GitHub call, so a replayed signed payload under a new delivery id costs Ship no API
 * call. Only a first look: `claimTrigger`, in the transaction, still decides (two
 * deliveries at once both pass here, and one of them claims).
 */
export async function triggerHandled(
  db: Queryable,
  trigger: {
    kind:
      | "issue_comment"
      | "review_comment"
      | "issue_comment_edit"
      | "review_comment_edit"
      | "label";
    key: string;
  },
): Promise<boolean> {
  const { rowCount } = await db.query(
    "SELECT 1 FROM handled_triggers WHERE kind = $1 AND key = $2",
    [trigger.kind, trigger.key],
  );
  return (rowCount ?? 0) > 0;
}
