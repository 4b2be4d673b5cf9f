import type { RunState } from "../runs/run.js";
import type { RunPhase } from "../runs/run-phases.js";
import type { RunResult } from "../runs/run-result.js";

/** Everything the status comment shows, gathered from the run and the live pipeline. */
export interface StatusView {
  runId: number;
  state: RunState;
  /** The phase the run is in, or (ended) the one it had reached. */
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
  /** The run adds commits to this open pull request rather than opening one. */
  followUp?: { number: number; branch: string };
  /** Asked on a review line: the line, and its thread on GitHub. */
  reviewLine?: { path: string; line: number | null; url: string };
  /** The run this one retries. */
  retryOf?: { runId: number; url?: string };
  /** Who cancelled the run (cancelled runs). */
  cancelledBy?: string;
  /** Ship's sign-in page: shown when the run acts as the installer for a requester who has not authorized Ship. */
  signInUrl?: string;
  /** Things Ship changed in the repository's settings and must say (a capped timeout). */
  notices?: string[];
  /** Waiting for other runs of the same thread: the one ahead, and this run's place. */
  queuedBehind?: { runId: number; position: number };
  todos?: Array<{ content: string; status: string }>;
  result?: RunResult;
  /** Why it failed; title, advice and retryability default to the category's. */
  error?: {
    category: string;
    message: string;
    title?: string;
    whatToDo?: string;
    retryable?: boolean;
  };
  /** A link that retries the run (after sign-in); absent until that page exists. */
  retryUrl?: string;
  /** The run's page with its live log; absent until that page exists. */
  runUrl?: string;
}
