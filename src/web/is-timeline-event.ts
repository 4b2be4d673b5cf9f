import type { RunEvent } from "../runs/run-event.js";

/**
 * Events the run page's Timeline shows (the run starting, each phase), which its Log
 * leaves out so it does not say everything twice.
 */
export function isTimelineEvent(event: Pick<RunEvent, "kind">): boolean {
  return event.kind === "phase" || event.kind === "run.started";
}
