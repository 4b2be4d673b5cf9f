import type { PgBoss } from "pg-boss";
import type { Queryable } from "../db/queryable.js";
import { sendJob } from "../queue/send-job.js";
import { finishRun } from "./finish-run.js";

/**
 * Ends a queued or running run as cancelled by `login`, in the caller's transaction,
 * and queues the job that kills its sandbox and shows it cancelled. Returns false when
 * the run had already ended.
 */
export async function cancelRun(
  boss: PgBoss,
  tx: Queryable,
  runId: number,
  login: string,
): Promise<boolean> {
  if (!(await finishRun(tx, runId, { state: "cancelled", message: `Cancelled by @${login}.` }))) {
    return false;
  }
  await sendJob(boss, "cancel", { runId }, tx);
  return true;
}
