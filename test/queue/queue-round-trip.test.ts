import type { PgBoss } from "pg-boss";
import { inTransaction } from "../../src/db/in-transaction.js";
import { migrate } from "../../src/db/migrate.js";
import type { JobData } from "../../src/queue/job-registry.js";
import { sendJob } from "../../src/queue/send-job.js";
import { startQueue } from "../../src/queue/start-queue.js";
import { startWorker, type Worker } from "../../src/worker/start-worker.js";
import { createTestDatabase, type TestDatabase } from "../helpers/create-test-database.js";
import { testLogger } from "../helpers/test-logger.js";

describe("job queue on real Postgres", () => {
  let db: TestDatabase;
  let boss: PgBoss;
  let worker: Worker;
  const handled: Array<{ data: JobData<"run">; attempt: number }> = [];
  const waiters: Array<() => void> = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrate(db.pool, testLogger());
    boss = await startQueue({ databaseUrl: db.url, runTimeoutMs: 60_000, log: testLogger() });
    worker = await startWorker({
      boss,
      concurrency: { run: 2 },
      graceMs: 1_000,
      log: testLogger(),
      handlers: {
        run: async (data, { attempt }) => {
          handled.push({ data, attempt });
          waiters.shift()?.();
        },
      },
    });
  });
  afterAll(async () => {
    await worker.stop();
    await boss.stop({ close: true, graceful: false });
    await db.drop();
  });

  const nextHandled = () => new Promise<void>((resolve) => waiters.push(resolve));

  it("delivers a job sent inside a committed transaction to the worker", async () => {
    const done = nextHandled();
    await inTransaction(db.pool, (tx) => sendJob(boss, "run", { runId: 7 }, tx));
    await done;
    expect(handled).toEqual([{ data: { runId: 7 }, attempt: 1 }]);
  });

  it("never delivers a job whose transaction rolled back", async () => {
    handled.length = 0;
    await expect(
      inTransaction(db.pool, async (tx) => {
        await sendJob(boss, "run", { runId: 8 }, tx);
        throw new Error("ingest failed after queueing");
      }),
    ).rejects.toThrow("ingest failed");
    const done = nextHandled();
    await sendJob(boss, "run", { runId: 9 });
    await done;
    expect(handled.map((h) => h.data.runId)).toEqual([9]);
    const { rows } = await db.pool.query(
      "SELECT count(*)::int AS n FROM pgboss.job WHERE data->>'runId' = '8'",
    );
    expect(rows[0]).toEqual({ n: 0 });
  });

  it("refuses a payload that does not match the registry", async () => {
    await expect(sendJob(boss, "run", { runId: -1 })).rejects.toThrow();
    await expect(sendJob(boss, "run", { runId: "1" } as never)).rejects.toThrow();
  });

  it("keeps queue creation idempotent when two processes start at once", async () => {
    const [a, b] = await Promise.all([
      startQueue({ databaseUrl: db.url, runTimeoutMs: 60_000, log: testLogger() }),
      startQueue({ databaseUrl: db.url, runTimeoutMs: 60_000, log: testLogger() }),
    ]);
    await Promise.all([
      a.stop({ close: true, graceful: false }),
      b.stop({ close: true, graceful: false }),
    ]);
    expect((await boss.getQueues()).map((q) => q.name)).toContain("run");
  });
});
