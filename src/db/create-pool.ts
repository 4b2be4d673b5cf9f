import pg from "pg";
import type { Logger } from "pino";

/**
 * A pg pool that logs (rather than crashes on) errors of idle clients, which happen
 * when the server goes away, e.g. the embedded Postgres stopping during shutdown.
 */
export function createPool(connectionString: string, log: Logger, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString, max });
  pool.on("error", (error) => log.warn({ err: error }, "idle database connection failed"));
  return pool;
}
