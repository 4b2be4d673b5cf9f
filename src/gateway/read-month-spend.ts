import type { Queryable } from "../db/queryable.js";

/** What a repository's runs spent on models this calendar month (UTC): dollars and tokens. */
export async function readMonthSpend(
  db: Queryable,
  repositoryId: number,
): Promise<{ cost: number; tokens: number }> {
  const { rows } = await db.query<{ cost: number; tokens: number }>(
    `SELECT coalesce(sum(cost_usd), 0)::float8 AS cost,
            coalesce(sum(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens), 0)::float8 AS tokens
       FROM model_calls
      WHERE repository_id = $1 AND created_at >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`,
    [repositoryId],
  );
  return rows[0] ?? { cost: 0, tokens: 0 };
}
