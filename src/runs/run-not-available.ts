import type { Queryable } from "../db/queryable.js";
import { finishRun } from "./finish-run.js";
import type { RunPipeline } from "./run-pipeline.js";

/**
 * The pipeline of a Ship that cannot carry runs yet: it ends each run with a clear
 * reason instead of leaving it queued. Replaced when the agent pipeline lands.
 */
export function runNotAvailable({ db }: { db: Queryable }): RunPipeline {
  return async (run) => {
    await finishRun(db, run.id, {
      state: "failed",
      category: "unavailable",
      message: "This version of Ship records requests but cannot run the agent yet.",
    });
  };
}
