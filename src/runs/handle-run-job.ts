import type { Queryable } from "../db/queryable.js";
import type { ShipMetrics } from "../metrics/create-metrics.js";
import { observeRunEnd } from "../metrics/observe-run-end.js";
import { runJobRetryLimit } from "../queue/queue-options.js";
import type { JobHandler } from "../worker/job-handler.js";
import { appendRunEvent } from "./append-run-event.js";
import { finishRun } from "./finish-run.js";
import { getRun } from "./get-run.js";
import { isFinished } from "./run.js";
import type { RunPipeline } from "./run-pipeline.js";
import { startRun } from "./start-run.js";

/** Said in the status comment when a shutdown cut a run short. */
export const interruptedMessage =
  "Ship was restarted while this run was in progress, so the run stopped before it finished. Comment `/ship retry` to run it again.";

/**
 * The `run` job: starts the run (unless it already ended), hands it to the pipeline,
 * and marks it interrupted if the worker shuts down before the pipeline is done.
 */
export function handleRunJob(deps: {
  db: Queryable;
  pipeline: RunPipeline;
  /** Puts the run's job back on the queue for later (its thread is busy). */
  later: (runId: number) => Promise<void>;
  /** Has another worker show the run's end (this one is shutting down). */
  showOutcome?: (runId: number) => Promise<void>;
  metrics?: Pick<ShipMetrics, "runs" | "runDuration">;
}): JobHandler<"run"> {
  return async ({ runId }, { signal, log, attempt }) => {
    const run = await getRun(deps.db, runId);
    if (!run) {
      log.warn({ runId }, "run job for a run that does not exist; dropped");
      return;
    }
    // One run at a time per thread, in the order they were asked for: an earlier run of
    // the thread that is still queued or running goes first; this one waits its turn.
    const { rows: ahead } = await deps.db.query(
      `SELECT 1 FROM runs WHERE repository_id = $1 AND thread_number = $2
         AND state IN ('queued', 'running') AND id < $3 LIMIT 1`,
      [run.repositoryId, run.threadNumber, runId],
    );
    if (ahead.length > 0 && !isFinished(run.state)) {
      await deps.later(runId);
      return;
    }
    if (isFinished(run.state) || !(await startRun(deps.db, runId))) {
      log.info({ runId, state: run.state }, "run already finished; nothing to do");
      // Tried again after a worker died: it may have ended the run without showing it.
      if (attempt > 1) {
        await deps
          .showOutcome?.(runId)
          .catch((error) =>
            log.warn({ err: error, runId }, "could not queue the run's final comment"),
          );
      }
      return;
    }
    await appendRunEvent(deps.db, runId, "run.started", { attempt });
    const counted = async () => {
      const ended = await getRun(deps.db, runId);
      if (ended && deps.metrics) observeRunEnd(deps.metrics, ended);
    };
    try {
      await deps.pipeline({ ...run, state: "running" }, { signal, log: log.child({ runId }) });
    } catch (error) {
      if (!signal.aborted) {
        // The queue tries again (GitHub or the database may be back); after the last
        // try the run must not stay "running" forever.
        if (attempt > runJobRetryLimit) {
          await finishRun(deps.db, runId, {
            state: "failed",
            category: "internal",
            message:
              "Ship could not carry this run through, after several tries. Comment `/ship retry` to run it again.",
          });
          await counted();
        }
        throw error;
      }
    }
    if (
      signal.aborted &&
      (await finishRun(deps.db, runId, {
        state: "failed",
        category: "interrupted",
        message: interruptedMessage,
      }))
    ) {
      await appendRunEvent(deps.db, runId, "run.interrupted");
      await deps
        .showOutcome?.(runId)
        .catch((error) =>
          log.warn({ err: error, runId }, "could not queue the interrupted run's final comment"),
        );
      log.warn({ runId }, "run interrupted by shutdown");
    }
    await counted();
  };
}
