import type { PgBoss } from "pg-boss";
import { migrate } from "../../src/db/migrate.js";
import { sendJob } from "../../src/queue/send-job.js";
import { startQueue } from "../../src/queue/start-queue.js";
import { finishRun } from "../../src/runs/finish-run.js";
import { getRun } from "../../src/runs/get-run.js";
import { handleRunJob, interruptedMessage } from "../../src/runs/handle-run-job.js";
import type { RunPipeline } from "../../src/runs/run-pipeline.js";
import { startWorker } from "../../src/worker/start-worker.js";
import { createTestDatabase, type TestDatabase } from "../helpers/create-test-database.js";
import { insertTestRun } from "../helpers/insert-test-run.js";
import { testLogger } from "../helpers/test-logger.js";

/** A pipeline that reports when it starts and works until told to finish or aborted. */
function controllablePipeline(db: TestDatabase) {
  let started!: () => void;
  const running = new Promise<void>((resolve) => {
    started = resolve;
  });
  let finish!: () => void;
  const finishing = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const pipeline: RunPipeline = async (run, { signal }) => {
    started();
    await Promise.race([
      finishing,
      new Promise<void>((_, reject) =>
        signal.addEventListener("abort", () => reject(signal.reason)),
      ),
    ]);
    await finishRun(db.pool, run.id, { state: "succeeded" });
  };
  return { pipeline, running, finish };
}

describe("graceful shutdown with a job in flight", () => {
  let db: TestDatabase;
  let boss: PgBoss;

  beforeEach(async () => {
    db = await createTestDatabase();
    await migrate(db.pool, testLogger());
    boss = await startQueue({ databaseUrl: db.url, runTimeoutMs: 60_000, log: testLogger() });
  });
  afterEach(async () => {
    await boss.stop({ close: true, graceful: false });
    await db.drop();
  });

  async function startWith(pipeline: RunPipeline, graceMs: number) {
    return startWorker({
      boss,
      concurrency: { run: 1 },
      graceMs,
      log: testLogger(),
      handlers: {
        run: handleRunJob({
          db: db.pool,
          pipeline,
          later: async () => {
            throw new Error("no run here waits for another");
          },
          showOutcome: async (runId) => {
            await sendJob(boss, "show-outcome", { runId });
          },
        }),
      },
    });
  }

  it("lets a run that finishes within the grace period succeed", async () => {
    const control = controllablePipeline(db);
    const worker = await startWith(control.pipeline, 5_000);
    const runId = await insertTestRun(db.pool);
    await sendJob(boss, "run", { runId });
    await control.running;

    const stopped = worker.stop();
    setTimeout(control.finish, 300);
    await stopped;

    const run = await getRun(db.pool, runId);
    expect(run).toMatchObject({ state: "succeeded", errorCategory: null, attempts: 1 });
  });

  it("aborts a run still going after the grace period and marks it interrupted", async () => {
    const control = controllablePipeline(db);
    const worker = await startWith(control.pipeline, 1_000);
    const runId = await insertTestRun(db.pool);
    await sendJob(boss, "run", { runId });
    await control.running;

    const before = Date.now();
    await worker.stop();
    const took = Date.now() - before;

    const run = await getRun(db.pool, runId);
    expect(run).toMatchObject({
      state: "failed",
      errorCategory: "interrupted",
      errorMessage: interruptedMessage,
    });
    expect(run?.finishedAt).not.toBeNull();
    expect(worker.active).toBe(0);
    // Bounded: the grace period plus the short settle time, not the run's own length.
    expect(took).toBeLessThan(1_000 + 5_000 + 2_000);
    const { rows } = await db.pool.query(
      "SELECT kind FROM run_events WHERE run_id = $1 ORDER BY id",
      [runId],
    );
    expect(rows.map((r) => r.kind)).toEqual(["run.started", "run.interrupted"]);
    // Whichever worker comes next shows the interruption in the status comment.
    const shown = await db.pool.query(
      "SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'show-outcome' AND (data->>'runId')::int = $1",
      [runId],
    );
    expect(shown.rows[0]).toEqual({ n: 1 });
  });

  it("does not restart a run that already ended when its job comes back", async () => {
    const calls: number[] = [];
    const worker = await startWith(async (run) => {
      calls.push(run.id);
    }, 1_000);
    const runId = await insertTestRun(db.pool);
    await finishRun(db.pool, runId, { state: "cancelled" });
    await sendJob(boss, "run", { runId });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await worker.stop();
    expect(calls).toEqual([]);
    expect(await getRun(db.pool, runId)).toMatchObject({ state: "cancelled", attempts: 0 });
  });
});
