import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pino } from "pino";
import { startEmbeddedPostgres } from "../src/db/start-embedded-postgres.js";

/**
 * One Postgres server for the whole test run: the one in DATABASE_URL when set,
 * otherwise an embedded one. Each test file then creates its own database on it
 * (see helpers/create-test-database.ts).
 */
export async function startTestPostgres(): Promise<void> {
  if (process.env.DATABASE_URL) {
    process.env.SHIP_TEST_SERVER_URL = process.env.DATABASE_URL;
    return;
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), "ship-test-pg-"));
  const embedded = await startEmbeddedPostgres(dataDir, pino({ level: "silent" }));
  process.env.SHIP_TEST_SERVER_URL = embedded.url;
  (globalThis as { shipTestPostgres?: typeof embedded }).shipTestPostgres = embedded;
}
