import type { Queue } from "pg-boss";
import type { JobName } from "./job-registry.js";

/** How many times a run job is tried again after it fails (or its worker dies). */
export const runJobRetryLimit = 3;

/** Default for how often a busy worker proves it is alive (SHIP_WORKER_HEARTBEAT). */
export const defaultHeartbeatSeconds = 30;

/**
 * pg-boss settings per queue. A run job may live a little longer than the run timeout
 * (the pipeline enforces that timeout itself and still needs time to report it).
 */
export function queueOptions(
  runTimeoutMs: number,
  heartbeatSeconds = defaultHeartbeatSeconds,
): Record<JobName, Omit<Queue, "name">> {
  return {
    run: {
      expireInSeconds: Math.ceil(runTimeoutMs / 1000) + 300,
      heartbeatSeconds,
      retryLimit: runJobRetryLimit,
      retryDelay: 5,
      retryBackoff: true,
      notify: true,
    },
    acknowledge: {
      expireInSeconds: 120,
      retryLimit: 5,
      retryDelay: 2,
      retryBackoff: true,
      notify: true,
    },
    reply: { expireInSeconds: 120, retryLimit: 5, retryDelay: 2, retryBackoff: true, notify: true },
    "show-outcome": {
      expireInSeconds: 120,
      retryLimit: 5,
      retryDelay: 2,
      retryBackoff: true,
      notify: true,
    },
    cancel: {
      expireInSeconds: 120,
      retryLimit: 5,
      retryDelay: 1,
      retryBackoff: true,
      notify: true,
    },
    ready: { expireInSeconds: 120, retryLimit: 5, retryDelay: 2, retryBackoff: true, notify: true },
    "prune-events": { expireInSeconds: 600, retryLimit: 2, retryDelay: 60 },
    // A missed sweep is made up by the next one, a minute later.
    "sweep-sandboxes": { expireInSeconds: 120, retryLimit: 0 },
  };
}
