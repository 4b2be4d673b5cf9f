import type { Queryable } from "../db/queryable.js";

/** Ends run `runId`'s gateway token: every later call with it is refused. */
export async function revokeGatewayToken(db: Queryable, runId: number): Promise<void> {
  await db.query("UPDATE runs SET gateway_token_hash = NULL WHERE id = $1", [runId]);
}
