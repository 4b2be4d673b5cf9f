import type { Logger } from "pino";
import type { AppCredentials, Config } from "./config/read-config.js";
import { migrate } from "./db/migrate.js";
import { openDatabase } from "./db/open-database.js";
import type { Queryable } from "./db/queryable.js";
import { startQueue } from "./queue/start-queue.js";
import { handleRunJob } from "./runs/handle-run-job.js";
import { runNotAvailable } from "./runs/run-not-available.js";
import type { RunPipeline } from "./runs/run-pipeline.js";
import { startWebServer, type WebServer } from "./web/start-web-server.js";
import { startWorker, type Worker } from "./worker/start-worker.js";

/** A running Ship process: its web part, its worker, or both, on one database. */
export interface Ship {
  web: WebServer | undefined;
  worker: Worker | undefined;
  /** Graceful: stop receiving, let jobs finish (bounded), close the queue and database. */
  stop(): Promise<void>;
}

/**
 * Starts Ship: database (embedded when no DATABASE_URL) -> migrations -> queue ->
 * worker and/or web server, as SHIP_ROLE says. If a step fails, what already started
 * is stopped again before the error is thrown.
 */
export async function startShip(params: {
  config: Config;
  app: AppCredentials;
  /** Builds the run pipeline from the process's clients; tests pass their own. */
  createPipeline?: (deps: { db: Queryable }) => RunPipeline;
  log: Logger;
}): Promise<Ship> {
  const { config, app, log } = params;
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop();
  };
  try {
    const database = await openDatabase(config.database, log);
    stops.push(() => database.close());
    await migrate(database.pool, log);

    const boss = await startQueue({
      databaseUrl: database.url,
      runTimeoutMs: config.worker.runTimeoutMs,
      log,
    });
    stops.push(() => boss.stop({ close: true, graceful: false }));

    let worker: Worker | undefined;
    if (config.role !== "web") {
      worker = await startWorker({
        boss,
        handlers: {
          run: handleRunJob({
            db: database.pool,
            pipeline: (params.createPipeline ?? runNotAvailable)({ db: database.pool }),
          }),
        },
        concurrency: config.worker.concurrency,
        graceMs: config.worker.shutdownGraceMs,
        log,
      });
      stops.push(() => (worker as Worker).stop());
    }

    let web: WebServer | undefined;
    if (config.role !== "worker") {
      web = await startWebServer({ app, config, deps: { pool: database.pool }, log });
      stops.push(() => (web as WebServer).stop());
    }
    log.info({ role: config.role, port: web?.port }, "Ship is running");

    return {
      web,
      worker,
      async stop() {
        await stopAll();
        log.info("Ship stopped");
      },
    };
  } catch (error) {
    await stopAll().catch((stopError) =>
      log.error({ err: stopError }, "cleanup after failed start"),
    );
    throw error;
  }
}
