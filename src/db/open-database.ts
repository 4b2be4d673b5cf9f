import type pg from "pg";
import type { Logger } from "pino";
import type { Config } from "../config/read-config.js";
import { createPool } from "./create-pool.js";
import { startEmbeddedPostgres } from "./start-embedded-postgres.js";

/** Ship's database: a pool, the URL other clients (pg-boss) connect with, and a close. */
export interface Database {
  pool: pg.Pool;
  url: string;
  /** Ends the pool, then stops the embedded cluster if this process started one. */
  close(): Promise<void>;
}

/** Connects to `DATABASE_URL`, or starts the embedded Postgres when there is none. */
export async function openDatabase(options: Config["database"], log: Logger): Promise<Database> {
  const embedded = options.url ? undefined : await startEmbeddedPostgres(options.dataDir, log);
  const url = options.url ?? (embedded?.url as string);
  const pool = createPool(url, log);
  return {
    pool,
    url,
    async close() {
      await pool.end();
      await embedded?.stop();
    },
  };
}
