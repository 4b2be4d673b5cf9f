import type { Queryable } from "../db/queryable.js";
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
export function handleRunJob(deps: { db: Queryable; pipeline: RunPipeline }): JobHandler<"run"> {
  return async ({ runId }, { signal, log, attempt }) => {
    const run = await getRun(deps.db, runId);
    if (!run) {
      log.warn({ runId }, "run job for a run that does not exist; dropped");
      return;
    }
    if (isFinished(run.state) || !(await startRun(deps.db, runId))) {
      log.info({ runId, state: run.state }, "run already finished; nothing to do");
      return;
    }
    await appendRunEvent(deps.db, runId, "run.started", { attempt });
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
      log.warn({ runId }, "run interrupted by shutdown");
    }
  };
}
