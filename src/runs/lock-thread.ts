import type { Queryable } from "../db/queryable.js";

/**
 * Serializes decisions about one thread's runs (retry, cancel) until the transaction
 * ends: two `/ship retry`s, or a double-clicked retry button, queue one run, not two.
 */
export async function lockThread(
  tx: Queryable,
  repositoryId: number,
  threadNumber: number,
): Promise<void> {
  await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [
    `ship-thread:${repositoryId}#${threadNumber}`,
  ]);
}
