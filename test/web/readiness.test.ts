import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import type { PgBoss } from "pg-boss";
import { migrate } from "../../src/db/migrate.js";
import { startQueue } from "../../src/queue/start-queue.js";
import { createReadinessHandler } from "../../src/web/create-readiness-handler.js";
import { createTestDatabase, type TestDatabase } from "../helpers/create-test-database.js";
import { testLogger } from "../helpers/test-logger.js";

/** `/readyz` over real HTTP, with a database and queue that work or do not. */
describe("/readyz", () => {
  let db: TestDatabase;
  let boss: PgBoss;

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrate(db.pool, testLogger());
    boss = await startQueue({ databaseUrl: db.url, runTimeoutMs: 60_000, log: testLogger() });
  });
  afterAll(async () => {
    await boss?.stop({ graceful: false, close: true }).catch(() => {});
    await db?.drop();
  });

  async function probe(pool: pg.Pool, queue: PgBoss): Promise<{ status: number; text: string }> {
    const handler = createReadinessHandler({ pool, boss: queue, log: testLogger() });
    const server: Server = createServer((req, res) => void handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/readyz`);
      return { status: response.status, text: await response.text() };
    } finally {
      server.close();
    }
  }

  it("is ready when the database and the queue answer", async () => {
    expect(await probe(db.pool, boss)).toEqual({ status: 200, text: "ready\n" });
  });

  it("is not ready, naming the database, when the database does not answer", async () => {
    const unreachable = new pg.Pool({ connectionString: "postgres://x:y@127.0.0.1:1/none" });
    unreachable.on("error", () => {});
    try {
      expect(await probe(unreachable, boss)).toEqual({
        status: 503,
        text: "not ready: database\n",
      });
    } finally {
      await unreachable.end();
    }
  });

  it("is not ready, naming the queue, once the queue has stopped", async () => {
    await boss.stop({ graceful: false, close: true });
    expect(await probe(db.pool, boss)).toEqual({ status: 503, text: "not ready: queue\n" });
  });
});
