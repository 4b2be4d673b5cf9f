import type { IncomingMessage, ServerResponse } from "node:http";
import type pg from "pg";
import type { PgBoss } from "pg-boss";
import type { Logger } from "pino";

/** How long each check may take before Ship counts itself not ready. */
const checkTimeoutMs = 2_000;

/**
 * `GET /readyz`: 200 when the database answers and the job queue is reachable (its
 * schema is readable and the queue has not stopped), else 503 naming what failed, so a
 * load balancer stops sending webhooks to a process that could not record them.
 */
export function createReadinessHandler(deps: { pool: pg.Pool; boss: PgBoss; log: Logger }) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.url?.split("?")[0] !== "/readyz") return false;
    const checks = await Promise.all([
      check("database", () => deps.pool.query("SELECT 1")),
      check("queue", () => deps.boss.getQueues(["run"])),
    ]);
    const failed = checks.filter((result) => result !== undefined);
    if (failed.length > 0) deps.log.warn({ failed }, "not ready");
    res.writeHead(failed.length === 0 ? 200 : 503, {
      "content-type": "text/plain; charset=utf-8",
      "cache-control": "no-store",
    });
    res.end(failed.length === 0 ? "ready\n" : `not ready: ${failed.join(", ")}\n`);
    return true;
  };
}

/** Undefined when the check passes in time, else the failed check's name. */
async function check(name: string, probe: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error("timed out")), checkTimeoutMs).unref(),
      ),
    ]);
    return undefined;
  } catch {
    return name;
  }
}
