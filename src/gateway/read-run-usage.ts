import type { Queryable } from "../db/queryable.js";

/** A run's model usage so far, summed over its calls through the gateway. */
export interface RunUsage {
  calls: number;
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  /** US dollars, from Ship's price table. */
  cost: number;
}

export async function readRunUsage(db: Queryable, runId: number): Promise<RunUsage> {
  const { rows } = await db.query<RunUsage>(
    `SELECT count(*)::int AS calls,
            coalesce(sum(input_tokens), 0)::int AS input,
            coalesce(sum(output_tokens), 0)::int AS output,
            coalesce(sum(cache_read_tokens), 0)::int AS "cacheRead",
            coalesce(sum(cache_write_tokens), 0)::int AS "cacheWrite",
            coalesce(sum(cost_usd), 0)::float8 AS cost
       FROM model_calls WHERE run_id = $1`,
    [runId],
  );
  return rows[0] as RunUsage;
}
