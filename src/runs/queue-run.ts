import type { PgBoss } from "pg-boss";
import type { Queryable } from "../db/queryable.js";
import { sendJob } from "../queue/send-job.js";
import { insertRun, type NewRun } from "./insert-run.js";

/**
 * Inserts a queued run with its two jobs (acknowledge, run) in the caller's
 * transaction: the run exists exactly when its jobs do.
 */
export async function queueRun(boss: PgBoss, tx: Queryable, run: NewRun): Promise<number> {
  const runId = await insertRun(tx, run);
  await sendJob(boss, "acknowledge", { runId }, tx);
  await sendJob(boss, "run", { runId }, tx);
  return runId;
}
