import type { Run } from "../runs/run.js";
import type { ShipMetrics } from "./create-metrics.js";

/** Counts a run that has just ended, with how long it worked (start to end). */
export function observeRunEnd(
  metrics: Pick<ShipMetrics, "runs" | "runDuration">,
  run: Pick<Run, "state" | "startedAt" | "finishedAt">,
): void {
  if (run.state === "queued" || run.state === "running") return;
  metrics.runs.inc({ outcome: run.state });
  if (run.startedAt && run.finishedAt) {
    metrics.runDuration.observe(
      { outcome: run.state },
      (run.finishedAt.getTime() - run.startedAt.getTime()) / 1000,
    );
  }
}
