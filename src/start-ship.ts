import { createHash } from "node:crypto";
import { request } from "@octokit/request";
import type pg from "pg";
import type { Logger } from "pino";
import type { AppCredentials, Config } from "./config/read-config.js";
import { migrate } from "./db/migrate.js";
import { openDatabase } from "./db/open-database.js";
import { createGatewayHandler } from "./gateway/create-gateway-handler.js";
import { createNoGatewayHandler } from "./gateway/create-no-gateway-handler.js";
import { createGitHubApp } from "./github/create-github-app.js";
import { createProbot } from "./github/create-probot.js";
import { createTokenCipher } from "./identity/create-token-cipher.js";
import { createUserTokens } from "./identity/create-user-tokens.js";
import { findSoleInstaller } from "./identity/find-sole-installer.js";
import { loadEncryptionKey } from "./identity/load-encryption-key.js";
import { countWebhook } from "./metrics/count-webhook.js";
import { createMetrics } from "./metrics/create-metrics.js";
import { sendJob } from "./queue/send-job.js";
import { startQueue } from "./queue/start-queue.js";
import { createRunPipeline, type PipelineDependencies } from "./runs/create-run-pipeline.js";
import { handleAcknowledgeJob } from "./runs/handle-acknowledge-job.js";
import { handleCancelJob } from "./runs/handle-cancel-job.js";
import { handlePruneEventsJob } from "./runs/handle-prune-events-job.js";
import { handleReadyJob } from "./runs/handle-ready-job.js";
import { handleReplyJob } from "./runs/handle-reply-job.js";
import { handleRunJob } from "./runs/handle-run-job.js";
import { handleShowOutcomeJob } from "./runs/handle-show-outcome-job.js";
import { handleSweepSandboxesJob } from "./runs/handle-sweep-sandboxes-job.js";
import type { RunPipeline } from "./runs/run-pipeline.js";
import { createAuthHandler } from "./web/create-auth-handler.js";
import { createCancelHandler } from "./web/create-cancel-handler.js";
import { createHomeHandler } from "./web/create-home-handler.js";
import { createMetricsHandler } from "./web/create-metrics-handler.js";
import { createReadinessHandler } from "./web/create-readiness-handler.js";
import { createRetryHandler } from "./web/create-retry-handler.js";
import { createRunDiffReader } from "./web/create-run-diff-reader.js";
import { createRunEventsHandler } from "./web/create-run-events-handler.js";
import { createRunHistoryHandler } from "./web/create-run-history-handler.js";
import { createRunPageHandler } from "./web/create-run-page-handler.js";
import { createSessionSigner } from "./web/create-session-signer.js";
import { createSignOutHandler } from "./web/create-sign-out-handler.js";
import { createViewerAccessCache } from "./web/create-viewer-access-cache.js";
import { retryLink } from "./web/retry-link.js";
import { runLink } from "./web/run-link.js";
import { startWebServer, type WebServer } from "./web/start-web-server.js";
import { startWorker, type Worker } from "./worker/start-worker.js";

/** A running Ship process: its web part, its worker, or both, on one database. */
export interface Ship {
  /** The database pool (runs, events), for tools that show what Ship is doing. */
  pool: pg.Pool;
  /** The HTTP server: webhooks and pages, or only health and metrics on a worker. */
  web: WebServer;
  worker: Worker | undefined;
  /** Graceful: stop receiving, let jobs finish (bounded), close the queue and database. */
  stop(): Promise<void>;
}

/** Least time between two edits of one status comment. */
const statusIntervalMs = 2_000;

/**
 * Starts Ship: database (embedded when no DATABASE_URL) -> migrations -> queue ->
 * worker and/or web server, as SHIP_ROLE says. If a step fails, what already started
 * is stopped again before the error is thrown.
 */
export async function startShip(params: {
  config: Config;
  app: AppCredentials;
  /** Builds the run pipeline from the process's clients; tests may pass their own. */
  createPipeline?: (deps: PipelineDependencies) => RunPipeline;
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
      heartbeatSeconds: config.worker.heartbeatMs / 1000,
      log,
    });
    stops.push(() => boss.stop({ close: true, graceful: false }));

    const probot = createProbot({
      app,
      githubApiUrl: config.githubApiUrl,
      throttle: config.githubThrottle,
      log,
    });
    const github = createGitHubApp({
      probot,
      appId: app.appId,
      githubUrl: config.githubUrl,
      githubApiUrl: config.githubApiUrl,
      throttle: config.githubThrottle,
    });
    const encryptionKey = await loadEncryptionKey(
      config.encryption.key,
      config.database.dataDir,
      log,
    );
    const githubRequest = request.defaults({ baseUrl: config.githubApiUrl });
    const tokens = createUserTokens({
      pool: database.pool,
      cipher: createTokenCipher(encryptionKey, config.encryption.previous),
      oauth: config.oauth,
      request: githubRequest,
      log,
    });
    const signer = createSessionSigner(
      createHash("sha256").update("ship-session").update(encryptionKey).digest(),
      { secure: config.publicUrl.startsWith("https://") },
    );

    const metrics = createMetrics({ db: database.pool });
    const linkToRun = (runId: number) => runLink(config.publicUrl, runId);

    let worker: Worker | undefined;
    if (config.role !== "web") {
      const pipeline = (params.createPipeline ?? createRunPipeline)({
        pool: database.pool,
        github,
        tokens,
        retryLink: (runId) => retryLink(signer, config.publicUrl, runId),
        runLink: linkToRun,
        metrics,
        config: {
          actAs: config.actAs,
          installerStandsIn: config.installerStandsIn,
          githubUrl: config.githubUrl,
          sandbox: config.sandbox,
          model: config.model,
          publicUrl: config.publicUrl,
          gatewayUrl: config.gateway.url,
          runTimeoutMs: config.worker.runTimeoutMs,
          agentStartTimeoutMs: config.worker.agentStartTimeoutMs,
          statusIntervalMs,
        },
        log,
      });
      worker = await startWorker({
        boss,
        handlers: {
          run: handleRunJob({
            db: database.pool,
            pipeline,
            later: async (runId) => {
              await sendJob(boss, "run", { runId }, undefined, { startAfter: 2 });
            },
            showOutcome: async (runId) => {
              await sendJob(boss, "show-outcome", { runId });
            },
            metrics,
          }),
          acknowledge: handleAcknowledgeJob({ pool: database.pool, github, runLink: linkToRun }),
          reply: handleReplyJob({ github }),
          "show-outcome": handleShowOutcomeJob({
            pool: database.pool,
            github,
            sandbox: config.sandbox,
            runLink: linkToRun,
          }),
          cancel: handleCancelJob({
            pool: database.pool,
            github,
            sandbox: config.sandbox,
            runLink: linkToRun,
            retryLink: (runId) => retryLink(signer, config.publicUrl, runId),
            log,
          }),
          ready: handleReadyJob({ github }),
          "sweep-sandboxes": handleSweepSandboxesJob({
            db: database.pool,
            sandbox: config.sandbox,
            appId: app.appId,
            log,
          }),
          "prune-events": handlePruneEventsJob({
            db: database.pool,
            retentionMs: config.eventRetentionMs,
            log,
          }),
        },
        concurrency: {
          run: config.worker.concurrency,
          acknowledge: 10,
          reply: 5,
          cancel: 5,
          ready: 2,
        },
        // A run waiting for its thread is re-queued for 2 s later: look that often.
        pollSeconds: { run: 2 },
        graceMs: config.worker.shutdownGraceMs,
        log,
      });
      stops.push(() => (worker as Worker).stop());
    }

    // Every process answers health, readiness and metrics; a worker-only one nothing else.
    const operations = [
      createReadinessHandler({ pool: database.pool, boss, log }),
      createMetricsHandler(metrics.registry, config.metricsToken),
    ];
    // One access cache for the run page, its live log and the history: a person's views
    // of one repository cost one GitHub call per TTL, not one per handler.
    const pages = {
      pool: database.pool,
      github,
      signer,
      githubUrl: config.githubUrl,
      log,
      readAccess: createViewerAccessCache(),
      // One cache of branch diffs for the run page and its live log: one compare per push.
      readDiff: createRunDiffReader({ github, log }),
      prices: config.gateway.prices,
    };
    // Open live streams end when the server stops, instead of holding it up.
    const closing = new AbortController();
    const web = await startWebServer({
      config,
      ...(config.role === "worker"
        ? {}
        : {
            webhooks: {
              probot,
              deps: {
                pool: database.pool,
                boss,
                models: config.model,
                githubUrl: config.githubUrl,
                runTimeoutMs: config.worker.runTimeoutMs,
                tokens,
                triggerLabel: config.triggerLabel,
                paused: config.paused,
                log,
              },
              observe: countWebhook({ db: database.pool, metrics, log }),
            },
          }),
      handlers:
        config.role === "worker"
          ? [...operations, createNoGatewayHandler()]
          : [
              ...operations,
              createAuthHandler({
                oauth: config.oauth,
                githubUrl: config.githubUrl,
                publicUrl: config.publicUrl,
                request: githubRequest,
                tokens,
                signer,
                actAs: config.actAs,
                installerStandsIn: config.installerStandsIn,
                findInstaller: () => findSoleInstaller(database.pool),
                log,
              }),
              createSignOutHandler({ signer, githubUrl: config.githubUrl, actAs: config.actAs }),
              createHomeHandler(pages),
              createRunHistoryHandler(pages),
              createRunPageHandler(pages),
              createRunEventsHandler({ ...pages, closing: closing.signal }),
              createCancelHandler({ pool: database.pool, boss, github, signer, log }),
              createRetryHandler({ pool: database.pool, boss, github, signer, log }),
              createGatewayHandler({
                db: database.pool,
                providers: config.model.providers,
                prices: config.gateway.prices,
                runBudget: config.gateway.runBudget,
                monthlyBudget: config.gateway.monthlyBudget,
                callsInFlight: config.gateway.callsInFlight,
                metrics,
                log: log.child({ name: "gateway" }),
              }),
            ],
      log,
    });
    stops.push(() => {
      closing.abort();
      return web.stop();
    });
    log.info({ role: config.role, port: web?.port }, "Ship is running");

    return {
      pool: database.pool,
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
