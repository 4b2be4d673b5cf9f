import { readdir, readFile } from "node:fs/promises";
import type pg from "pg";
import type { Logger } from "pino";
import { inTransaction } from "./in-transaction.js";

const migrationsDir = new URL("./migrations/", import.meta.url);
const fileName = /^(\d{4})-[a-z0-9-]+\.sql$/;
/** Any fixed number; every Ship process takes this lock to migrate. */
const migrationLockKey = 0x5348_4950;

/**
 * Applies the numbered SQL files in `migrations/` that this database has not seen, in
 * order, in one transaction under an advisory lock: when several processes start at
 * once, one migrates and the others wait, then find nothing to do.
 * Returns the versions it applied.
 */
export async function migrate(pool: pg.Pool, log: Logger): Promise<number[]> {
  const files = (await readdir(migrationsDir)).filter((name) => fileName.test(name)).sort();
  return inTransaction(pool, async (client) => {
    await client.query("SELECT pg_advisory_xact_lock($1)", [migrationLockKey]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ version: number }>(
      "SELECT version FROM schema_migrations",
    );
    const applied = new Set(rows.map((row) => row.version));
    const newlyApplied: number[] = [];
    for (const name of files) {
      const version = Number(fileName.exec(name)?.[1]);
      if (applied.has(version)) continue;
      await client.query(await readFile(new URL(name, migrationsDir), "utf8"));
      await client.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [
        version,
        name,
      ]);
      newlyApplied.push(version);
      log.info({ migration: name }, "applied database migration");
    }
    return newlyApplied;
  });
}
