import { phaseNames } from "./phase-names.js";

/**
 * The badge of a running run. A run the worker has taken but not yet moved past
 * `queued` is getting ready (identity, settings), not waiting: "Running: Queued" read
 * as a contradiction.
 */
export function runningLabel(phase: string): string {
  if (phase === "queued") return "Running: getting ready";
  return `Running: ${phaseNames[phase] ?? phase}`;
}
