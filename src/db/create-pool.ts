import pg from "pg";
import type { Logger } from "pino";

/**
 * A pg pool that logs (rather than crashes on) errors of idle clients, which happen
 * when the server goes away, e.g. the embedded Postgres stopping during shutdown.
 */
export function createPool(connectionString: string, log: Logger, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString, max });
  pool.on("error", (error) => {
    // 57P01: the server is shutting down (the embedded one stops after the pool ends).
    const shuttingDown = (error as { code?: string }).code === "57P01";
    log[shuttingDown ? "debug" : "warn"]({ err: error }, "idle database connection failed");
  });
  return pool;
}
