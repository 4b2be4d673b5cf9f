import type { Logger } from "pino";
import type { Queryable } from "../db/queryable.js";
import type { JobHandler } from "../worker/job-handler.js";
import { pruneRunEvents } from "./prune-run-events.js";

/** The hourly `prune-events` job: run events past their retention period are deleted. */
export function handlePruneEventsJob(deps: {
  db: Queryable;
  retentionMs: number;
  log: Logger;
}): JobHandler<"prune-events"> {
  return async () => {
    const deleted = await pruneRunEvents(deps.db, deps.retentionMs);
    if (deleted > 0) deps.log.info({ deleted }, "old run events deleted");
  };
}
