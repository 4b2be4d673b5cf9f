/**
 * The steps of a run, in order. Each is recorded on the run as it starts, so a run
 * picked up again knows where it was, and the status comment shows them as a checklist.
 */
export const runPhases = [
  "queued",
  "sandbox",
  "clone",
  "branch",
  "agent",
  "push",
  "pull_request",
] as const;

export type RunPhase = (typeof runPhases)[number];
