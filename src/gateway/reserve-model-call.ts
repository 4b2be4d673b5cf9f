import type pg from "pg";
import { type Budget, formatBudget } from "../config/budget.js";
import { inTransaction } from "../db/in-transaction.js";

/** How long a reservation counts unless its call, still streaming, pushes it forward. */
export const reservationSeconds = 120;

/** What one call asks to reserve: its worst usage, in tokens and in dollars. */
export interface Reservation {
  runId: number;
  repositoryId: number;
  tokens: number;
  usd: number;
}

/**
 * `reserved`: forward the call (and settle reservation `id` when it ends). `reached`:
 * a budget is spent, refuse with `message`. `wait`: the run has `callsInFlight` calls
 * in flight, or this one's worst cost does not fit beside those in flight; try again
 * when one of them ends.
 */
export type Admission =
  | { kind: "reserved"; id: number }
  | { kind: "reached"; message: string }
  | { kind: "wait"; reason: "calls" | "budget" };

/**
 * Decides, under a lock per repository (so every web process decides in turn), whether
 * a model call may go out, and if so reserves its worst cost. A call is refused once
 * what is recorded reaches a budget. Otherwise it goes out if its reservation fits
 * beside what is recorded and reserved, or if it would be the budget's only call in
 * flight (the run's, for the run's budget; the repository's, for the monthly one):
 * then a budget is overshot by at most that one call, as with calls in a row, so a
 * small budget still allows a large call. Budgets are the run's (in tokens or
 * dollars) and the repository's monthly one, which counts the reservations of all of
 * the repository's runs.
 */
export async function reserveModelCall(
  pool: pg.Pool,
  call: Reservation,
  limits: {
    runBudgets: readonly Budget[];
    monthlyBudget: Budget | undefined;
    callsInFlight: number;
  },
): Promise<Admission> {
  return inTransaction(pool, async (client) => {
    await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [
      `ship:gateway-budget:${call.repositoryId}`,
    ]);
    const { rows } = await client.query<{
      runUsd: number;
      runTokens: number;
      inFlight: number;
      repoInFlight: number;
      reservedUsd: number;
      reservedTokens: number;
      monthUsd: number;
      monthTokens: number;
      repoReservedUsd: number;
      repoReservedTokens: number;
    }>(
      `WITH spent AS (
         SELECT coalesce(sum(cost_usd), 0)::float8 AS usd,
                coalesce(sum(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens), 0)::float8 AS tokens
           FROM model_calls WHERE run_id = $1),
       month AS (
         SELECT coalesce(sum(cost_usd), 0)::float8 AS usd,
                coalesce(sum(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens), 0)::float8 AS tokens
           FROM model_calls
          WHERE repository_id = $2
            AND created_at >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'),
       held AS (
         SELECT count(*) FILTER (WHERE run_id = $1)::int AS calls,
                count(*)::int AS repo_calls,
                coalesce(sum(cost_usd) FILTER (WHERE run_id = $1), 0)::float8 AS usd,
                coalesce(sum(tokens) FILTER (WHERE run_id = $1), 0)::float8 AS tokens,
                coalesce(sum(cost_usd), 0)::float8 AS repo_usd,
                coalesce(sum(tokens), 0)::float8 AS repo_tokens
           FROM model_call_reservations
          WHERE repository_id = $2 AND expires_at > now())
       SELECT spent.usd AS "runUsd", spent.tokens AS "runTokens", held.calls AS "inFlight",
              held.repo_calls AS "repoInFlight",
              held.usd AS "reservedUsd", held.tokens AS "reservedTokens",
              month.usd AS "monthUsd", month.tokens AS "monthTokens",
              held.repo_usd AS "repoReservedUsd", held.repo_tokens AS "repoReservedTokens"
         FROM spent, month, held`,
      [call.runId, call.repositoryId],
    );
    const now = rows[0];
    if (!now) throw new Error("the budget query returned no row");
    const mine = (kind: Budget["kind"]) => (kind === "usd" ? call.usd : call.tokens);

    let runFits = true;
    for (const budget of limits.runBudgets) {
      const spent = budget.kind === "usd" ? now.runUsd : now.runTokens;
      if (spent >= budget.amount) {
        return {
          kind: "reached",
          message: `This run's budget of ${formatBudget(budget)} is reached (${formatBudget({ kind: budget.kind, amount: spent })} used).`,
        };
      }
      const reserved = budget.kind === "usd" ? now.reservedUsd : now.reservedTokens;
      if (spent + reserved + mine(budget.kind) > budget.amount) runFits = false;
    }
    let monthFits = true;
    const monthly = limits.monthlyBudget;
    if (monthly) {
      const spent = monthly.kind === "usd" ? now.monthUsd : now.monthTokens;
      if (spent >= monthly.amount) {
        return {
          kind: "reached",
          message: `This repository's monthly budget of ${formatBudget(monthly)} is reached (${formatBudget({ kind: monthly.kind, amount: spent })} used this month).`,
        };
      }
      const reserved = monthly.kind === "usd" ? now.repoReservedUsd : now.repoReservedTokens;
      if (spent + reserved + mine(monthly.kind) > monthly.amount) monthFits = false;
    }
    if (now.inFlight >= limits.callsInFlight) return { kind: "wait", reason: "calls" };
    // A call that does not fit goes out only as the budget's one call in flight: the
    // run's own for its budget, the repository's (any of its runs) for the month's.
    if (!runFits && now.inFlight > 0) return { kind: "wait", reason: "budget" };
    if (!monthFits && now.repoInFlight > 0) return { kind: "wait", reason: "budget" };

    await client.query(
      "DELETE FROM model_call_reservations WHERE repository_id = $1 AND expires_at <= now()",
      [call.repositoryId],
    );
    const inserted = await client.query<{ id: number }>(
      `INSERT INTO model_call_reservations (run_id, repository_id, cost_usd, tokens, expires_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))
       RETURNING id::float8 AS id`,
      [call.runId, call.repositoryId, call.usd, call.tokens, reservationSeconds],
    );
    return { kind: "reserved", id: (inserted.rows[0] as { id: number }).id };
  });
}
