import type { Queryable } from "../db/queryable.js";
import type { CallUsage } from "./create-usage-reader.js";

/**
 * Stores one call through the gateway with its usage and cost, and drops its
 * reservation in the same statement: at no moment is the call counted neither as
 * reserved nor as spent (nor, once settled, as both).
 */
export async function settleModelCall(
  db: Queryable,
  reservationId: number,
  call: {
    runId: number;
    repositoryId: number;
    provider: string;
    model: string;
    status: number;
    usage: CallUsage;
    cost: number;
  },
): Promise<void> {
  await db.query(
    `WITH released AS (DELETE FROM model_call_reservations WHERE id = $11)
     INSERT INTO model_calls (run_id, repository_id, provider, model, status, input_tokens,
       output_tokens, cache_read_tokens, cache_write_tokens, cost_usd)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      call.runId,
      call.repositoryId,
      call.provider,
      call.model,
      call.status,
      call.usage.input,
      call.usage.output,
      call.usage.cacheRead,
      call.usage.cacheWrite,
      call.cost,
      reservationId,
    ],
  );
}
