import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Queryable } from "../db/queryable.js";

/** Ship's Prometheus series, on a registry of this process's own (no global state). */
export interface ShipMetrics {
  registry: Registry;
  /** Webhook deliveries by event (`issue_comment.created`) and outcome (run, ignored, denied, own, rejected, ...). */
  webhooks: Counter<"event" | "outcome">;
  /** Runs ended by this process, by outcome (succeeded, failed, cancelled). */
  runs: Counter<"outcome">;
  /** From a run's start to its end, by outcome. */
  runDuration: Histogram<"outcome">;
  /** Each pipeline phase (sandbox, clone, branch, agent, push, pull_request). */
  phaseDuration: Histogram<"phase">;
  /**
   * Finer steps of a run, to see where its time goes: prepare (identity, repository),
   * sandbox_create, clone, opencode_start, agent (the model and its tools, without what
   * Ship does between turns), commit, push, pull_request, opencode_stop, finish (the
   * run's end: labels, final status comment).
   */
  stepDuration: Histogram<"step">;
  /** Model tokens through the gateway, by kind (input, output, cacheRead, cacheWrite). */
  modelTokens: Counter<"kind">;
  /** US dollars spent on models through the gateway (Ship's price table). */
  modelCost: Counter;
}

/** Seconds: sandbox and clone take well under one, agents take minutes. */
const phaseBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];
const runBuckets = [1, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600];
/** An ended run may keep its sandbox a moment (showing the outcome); past this it leaked. */
const leakMinutes = 10;

/**
 * Creates Ship's metrics. Counters and histograms move as this process works; the queue
 * depth and live sandboxes are read from the shared database when scraped, so every
 * process reports the same, whole picture.
 */
export function createMetrics(params: { db: Queryable }): ShipMetrics {
  const { db } = params;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "ship_process_" });
  new Gauge({
    name: "ship_queue_depth",
    help: "Jobs waiting on Ship's queue (created or retrying), by queue.",
    labelNames: ["queue"],
    registers: [registry],
    async collect() {
      this.reset();
      const { rows } = await db.query<{ name: string; waiting: number }>(
        `SELECT name, count(*)::int AS waiting FROM pgboss.job
         WHERE state IN ('created', 'retry') GROUP BY name`,
      );
      for (const row of rows) this.set({ queue: row.name }, row.waiting);
    },
  });
  new Gauge({
    name: "ship_live_sandboxes",
    help: "Sandboxes held by runs in progress.",
    registers: [registry],
    async collect() {
      const { rows } = await db.query<{ live: number }>(
        "SELECT count(*)::int AS live FROM runs WHERE sandbox_id IS NOT NULL",
      );
      this.set(rows[0]?.live ?? 0);
    },
  });
  new Gauge({
    name: "ship_active_runs",
    help: "Runs queued or running, by state.",
    labelNames: ["state"],
    registers: [registry],
    async collect() {
      const { rows } = await db.query<{ state: string; count: number }>(
        `SELECT state::text, count(*)::int AS count FROM runs
         WHERE state IN ('queued', 'running') GROUP BY state`,
      );
      this.set({ state: "queued" }, 0);
      this.set({ state: "running" }, 0);
      for (const row of rows) this.set({ state: row.state }, row.count);
    },
  });
  new Gauge({
    name: "ship_oldest_queued_run_seconds",
    help: "Age of the oldest run still queued (0 when none): a stuck queue grows it.",
    registers: [registry],
    async collect() {
      const { rows } = await db.query<{ age: number | null }>(
        `SELECT extract(epoch FROM now() - min(created_at))::float8 AS age FROM runs
         WHERE state = 'queued'`,
      );
      this.set(rows[0]?.age ?? 0);
    },
  });
  new Gauge({
    name: "ship_leaked_sandboxes",
    help: `Sandboxes still recorded on runs that ended over ${leakMinutes} minutes ago (a kill that failed, a worker that died); the sweeper should bring it back to 0.`,
    registers: [registry],
    async collect() {
      const { rows } = await db.query<{ leaked: number }>(
        `SELECT count(*)::int AS leaked FROM runs
         WHERE sandbox_id IS NOT NULL AND state NOT IN ('queued', 'running')
           AND coalesce(finished_at, updated_at) < now() - make_interval(mins => $1)`,
        [leakMinutes],
      );
      this.set(rows[0]?.leaked ?? 0);
    },
  });
  new Gauge({
    name: "ship_model_spend_month_usd",
    help: "US dollars spent on models through Ship's gateway this calendar month (UTC), all repositories, from the database (survives restarts).",
    registers: [registry],
    async collect() {
      const { rows } = await db.query<{ spent: number | null }>(
        `SELECT sum(cost_usd)::float8 AS spent FROM model_calls
         WHERE created_at >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`,
      );
      this.set(rows[0]?.spent ?? 0);
    },
  });
  return {
    registry,
    webhooks: new Counter({
      name: "ship_webhooks_total",
      help: "Webhook deliveries received, by event and outcome.",
      labelNames: ["event", "outcome"],
      registers: [registry],
    }),
    runs: new Counter({
      name: "ship_runs_total",
      help: "Runs ended, by outcome.",
      labelNames: ["outcome"],
      registers: [registry],
    }),
    runDuration: new Histogram({
      name: "ship_run_duration_seconds",
      help: "Time from a run's start to its end, by outcome.",
      labelNames: ["outcome"],
      buckets: runBuckets,
      registers: [registry],
    }),
    phaseDuration: new Histogram({
      name: "ship_phase_duration_seconds",
      help: "Time spent in each phase of a run.",
      labelNames: ["phase"],
      buckets: phaseBuckets,
      registers: [registry],
    }),
    modelTokens: new Counter({
      name: "ship_model_tokens_total",
      help: "Model tokens through Ship's gateway, by kind (input, output, cacheRead, cacheWrite).",
      labelNames: ["kind"],
      registers: [registry],
    }),
    modelCost: new Counter({
      name: "ship_model_cost_usd_total",
      help: "US dollars spent on models through Ship's gateway, from its price table.",
      registers: [registry],
    }),
    stepDuration: new Histogram({
      name: "ship_run_step_seconds",
      help: "Time spent in each step of a run (finer than phases; agent excludes Ship's work between turns).",
      labelNames: ["step"],
      buckets: phaseBuckets,
      registers: [registry],
    }),
  };
}
