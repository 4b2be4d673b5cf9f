import type { RunState } from "../runs/run.js";
import type { RunPhase } from "../runs/run-phases.js";
import type { RunResult } from "../runs/run-result.js";

/** Everything the status comment shows, gathered from the run and the live pipeline. */
export interface StatusView {
  runId: number;
  state: RunState;
  phase: RunPhase | string;
  task: string;
  requester: string;
  model: string;
  /** Whose token pushed and opened the PR (the app, or a person). */
  actingAs?: string;
  branch?: string;
  /** When the run started working, and when it ended; for the elapsed time. */
  startedAt?: Date;
  finishedAt?: Date;
  now: Date;
  /** What the agent is doing right now, in plain words. */
  activity?: string;
  /** The run added commits to an existing pull request rather than opening one. */
  followUp?: boolean;
  /** Waiting for other runs of the same thread: the one ahead, and this run's place. */
  queuedBehind?: { runId: number; position: number };
  todos?: Array<{ content: string; status: string }>;
  result?: RunResult;
  error?: { category: string; message: string; whatToDo?: string };
  /** A link that retries the run (after sign-in); absent until that page exists. */
  retryUrl?: string;
  /** The run's page with its live log; absent until that page exists. */
  runUrl?: string;
}
