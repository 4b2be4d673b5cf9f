import { envSchema } from "../../src/config/env-schema.js";
import { migrate } from "../../src/db/migrate.js";
import { jobSchedules } from "../../src/queue/job-registry.js";
import { startQueue } from "../../src/queue/start-queue.js";
import { appendRunEvent } from "../../src/runs/append-run-event.js";
import { handlePruneEventsJob } from "../../src/runs/handle-prune-events-job.js";
import { createTestDatabase, type TestDatabase } from "../helpers/create-test-database.js";
import { insertTestRun } from "../helpers/insert-test-run.js";
import { testLogger } from "../helpers/test-logger.js";

const day = 86_400_000;

/** Run events are kept for SHIP_EVENT_RETENTION, then deleted by an hourly job. */
describe("event retention", () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrate(db.pool, testLogger());
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("deletes events older than the retention period and keeps recent ones and the runs", async () => {
    const runId = await insertTestRun(db.pool);
    for (const [text, ageMs] of [
      ["eight days old", 8 * day],
      ["seven days and a minute old", 7 * day + 60_000],
      ["six days old", 6 * day],
      ["new", 0],
    ] as const) {
      await appendRunEvent(db.pool, runId, "agent.message", { text });
      await db.pool.query(
        "UPDATE run_events SET at = now() - make_interval(secs => $2) WHERE data->>'text' = $1",
        [text, ageMs / 1000],
      );
    }
    const retentionMs = envSchema.shape.SHIP_EVENT_RETENTION.parse("7d");
    expect(retentionMs).toBe(7 * day);
    expect(envSchema.shape.SHIP_EVENT_RETENTION.parse(undefined)).toBe(7 * day); // the default
    await handlePruneEventsJob({ db: db.pool, retentionMs, log: testLogger() })(
      {},
      { jobId: "1", attempt: 1, signal: new AbortController().signal, log: testLogger() },
    );
    const { rows } = await db.pool.query<{ text: string }>(
      "SELECT data->>'text' AS text FROM run_events WHERE run_id = $1 ORDER BY id",
      [runId],
    );
    expect(rows.map((row) => row.text)).toEqual(["six days old", "new"]);
    const runs = await db.pool.query("SELECT 1 FROM runs WHERE id = $1", [runId]);
    expect(runs.rowCount).toBe(1);
  });

  it("is scheduled hourly on the queue", async () => {
    const boss = await startQueue({ databaseUrl: db.url, runTimeoutMs: 60_000, log: testLogger() });
    try {
      const schedules = await boss.getSchedules();
      expect(schedules.map(({ name, cron }) => ({ name, cron }))).toContainEqual({
        name: "prune-events",
        cron: jobSchedules["prune-events"],
      });
      expect(jobSchedules["prune-events"]).toMatch(/^\d+ \* \* \* \*$/);
    } finally {
      await boss.stop({ graceful: false, close: true });
    }
  });
});
