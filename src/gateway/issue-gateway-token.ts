import { createHash, randomBytes } from "node:crypto";
import type { Queryable } from "../db/queryable.js";

/** The SHA-256 of a gateway token: all Ship keeps of it. */
export function hashGatewayToken(token: string): Buffer {
  return createHash("sha256").update(token).digest();
}

/**
 * Gives run `runId` a new random token for the model gateway (replacing any earlier
 * one: a run picked up again gets a fresh token). Only its hash is stored.
 */
export async function issueGatewayToken(db: Queryable, runId: number): Promise<string> {
  const token = `ship_run_${randomBytes(32).toString("base64url")}`;
  await db.query("UPDATE runs SET gateway_token_hash = $2 WHERE id = $1", [
    runId,
    hashGatewayToken(token),
  ]);
  return token;
}
