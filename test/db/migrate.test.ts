import { readdirSync } from "node:fs";
import path from "node:path";
import { createPool } from "../../src/db/create-pool.js";
import { migrate } from "../../src/db/migrate.js";
import { createTestDatabase, type TestDatabase } from "../helpers/create-test-database.js";
import { testLogger } from "../helpers/test-logger.js";

/** The numbered migrations in the repository: 1, 2, ... */
const versions = readdirSync(path.resolve(import.meta.dirname, "../../src/db/migrations"))
  .filter((name) => name.endsWith(".sql"))
  .map((name) => Number(name.slice(0, 4)))
  .sort((a, b) => a - b);

describe("migrate", () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    await db.drop();
  });

  it("creates the schema on an empty database, and does nothing the second time", async () => {
    const first = await migrate(db.pool, testLogger());
    expect(first).toEqual(versions);
    expect(versions[0]).toBe(1);
    const { rows: tables } = await db.pool.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
    );
    expect(tables.map((t) => t.table_name)).toEqual([
      "deliveries",
      "handled_triggers",
      "installations",
      "model_call_reservations",
      "model_calls",
      "refusal_replies",
      "run_events",
      "runs",
      "schema_migrations",
      "user_tokens",
    ]);

    expect(await migrate(db.pool, testLogger())).toEqual([]);
    const { rows } = await db.pool.query("SELECT version FROM schema_migrations ORDER BY version");
    expect(rows).toEqual(versions.map((version) => ({ version })));
  });

  it("migrates once when several processes start at the same moment", async () => {
    const pools = [1, 2, 3, 4].map(() => createPool(db.url, testLogger(), 2));
    try {
      const results = await Promise.all(pools.map((pool) => migrate(pool, testLogger())));
      expect(results.flat().sort((a, b) => a - b)).toEqual(versions);
      const { rows } = await db.pool.query("SELECT count(*)::int AS n FROM schema_migrations");
      expect(rows[0]).toEqual({ n: versions.length });
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  it("enforces one run per delivery and an append-only event log tied to its run", async () => {
    await migrate(db.pool, testLogger());
    await db.pool.query(
      "INSERT INTO deliveries (id, event, outcome) VALUES ('d1', 'issue_comment.created', 'run')",
    );
    const insertRun = `INSERT INTO runs (delivery_id, installation_id, repository_id, repository, thread_number,
      trigger, requester_login, requester_id, request) VALUES ('d1', 1, 2, 'o/r', 3, 'issue_command', 'u', 4, '{}')
      RETURNING id, state, phase`;
    const { rows } = await db.pool.query(insertRun);
    expect(rows[0]).toMatchObject({ state: "queued", phase: "queued" });
    await expect(db.pool.query(insertRun)).rejects.toThrow(/runs_delivery_id_key/);
    await expect(
      db.pool.query("INSERT INTO run_events (run_id, kind) VALUES (999999, 'x')"),
    ).rejects.toThrow(/foreign key/);
  });
});
