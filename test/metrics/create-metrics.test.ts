import { migrate } from "../../src/db/migrate.js";
import { createMetrics } from "../../src/metrics/create-metrics.js";
import { createTestDatabase, type TestDatabase } from "../helpers/create-test-database.js";
import { testLogger } from "../helpers/test-logger.js";

/** One series' value in Prometheus's text format (undefined when absent). */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : undefined;
}

/** The runs and sandboxes gauges as a scrape shows them (the queue's needs pg-boss's schema). */
async function scrape(pool: TestDatabase["pool"]): Promise<string> {
  const { registry } = createMetrics({ db: pool });
  const names = [
    "ship_oldest_queued_run_seconds",
    "ship_leaked_sandboxes",
    "ship_live_sandboxes",
    "ship_model_spend_month_usd",
  ];
  return (await Promise.all(names.map((name) => registry.getSingleMetricAsString(name)))).join(
    "\n",
  );
}

/** The gauges the alert rules watch, read from the shared database when scraped. */
describe("Ship's database gauges", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await migrate(db.pool, testLogger());
  });
  afterAll(async () => {
    await db?.drop();
  });

  const insertRun = (fields: { state: string; ageMinutes: number; sandboxId?: string }) =>
    db.pool.query(
      `INSERT INTO runs (installation_id, repository_id, repository, thread_number, trigger,
         requester_login, requester_id, request, state, sandbox_id, created_at, finished_at)
       VALUES (1, 1, 'acme/widgets', 1, 'issue_command', 'bob', 2, '{}', $1::run_state, $2,
         now() - make_interval(mins => $3), CASE WHEN $1 IN ('queued', 'running') THEN NULL
         ELSE now() - make_interval(mins => $3) END)`,
      [fields.state, fields.sandboxId ?? null, fields.ageMinutes],
    );

  it("are 0 on an idle deployment", async () => {
    const text = await scrape(db.pool);
    expect(sample(text, "ship_oldest_queued_run_seconds")).toBe(0);
    expect(sample(text, "ship_leaked_sandboxes")).toBe(0);
    expect(sample(text, "ship_model_spend_month_usd")).toBe(0);
  });

  it("show the oldest queued run's age, sandboxes left on ended runs, and this month's spend", async () => {
    await insertRun({ state: "queued", ageMinutes: 50 });
    await insertRun({ state: "queued", ageMinutes: 1 });
    await insertRun({ state: "running", ageMinutes: 60, sandboxId: "sbx-live" });
    await insertRun({ state: "failed", ageMinutes: 30, sandboxId: "sbx-leaked" });
    await insertRun({ state: "failed", ageMinutes: 1, sandboxId: "sbx-being-released" });
    await db.pool.query(
      `INSERT INTO model_calls (run_id, repository_id, provider, model, status, cost_usd, created_at)
       SELECT id, 1, 'sim', 'sim/x', 200, 1.25, now() FROM runs LIMIT 1`,
    );
    await db.pool.query(
      `INSERT INTO model_calls (run_id, repository_id, provider, model, status, cost_usd, created_at)
       SELECT id, 1, 'sim', 'sim/x', 200, 99, now() - interval '40 days' FROM runs LIMIT 1`,
    );
    const text = await scrape(db.pool);
    expect(sample(text, "ship_oldest_queued_run_seconds")).toBeGreaterThanOrEqual(50 * 60);
    expect(sample(text, "ship_oldest_queued_run_seconds")).toBeLessThan(52 * 60);
    expect(sample(text, "ship_leaked_sandboxes")).toBe(1);
    expect(sample(text, "ship_live_sandboxes")).toBe(3);
    expect(sample(text, "ship_model_spend_month_usd")).toBe(1.25);
  });
});
