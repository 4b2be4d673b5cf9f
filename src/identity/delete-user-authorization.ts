import type { Queryable } from "../db/queryable.js";

/** Forgets a person's tokens (they revoked Ship, or a refresh was refused). */
export async function deleteUserAuthorization(db: Queryable, userId: number): Promise<void> {
  await db.query("DELETE FROM user_tokens WHERE user_id = $1", [userId]);
}
