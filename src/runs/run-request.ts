import type { TaskOptions } from "../commands/ship-command.js";
import type { Budget } from "../config/budget.js";

/**
 * What was asked, as captured when the request arrived: the task, its options, and the
 * thread it came from (text with hidden content already removed).
 */
export interface RunRequest {
  task: string;
  options: TaskOptions;
  /** The comment that asked, for the 👀 reaction; absent for the label trigger. */
  commentId?: number;
  thread: { title: string; body: string; isPullRequest: boolean };
  /** On a pull request: the PR as it was when asked (follow-ups push to its branch). */
  pullRequest?: PullRequestRef;
  /** On a review line: the line, for context and the reply in its thread. */
  reviewLine?: {
    commentId: number;
    path: string;
    line: number | null;
    startLine: number | null;
    diffHunk: string;
  };
  /** The repository's `.github/ship.yml` settings that shape the run, as read at request time. */
  settings?: RunSettings;
}

/** A pull request a follow-up works on. */
export interface PullRequestRef {
  number: number;
  url: string;
  headRef: string;
  baseRef: string;
  /** The head branch is in this repository (Ship can push to it), not in a fork. */
  sameRepository: boolean;
  open: boolean;
}

/** Per-repository settings a run follows (all optional: Ship's defaults otherwise). */
export interface RunSettings {
  branchPrefix?: string;
  draft?: boolean;
  timeoutMs?: number;
  /** Commands run in the repository inside the sandbox before the agent starts. */
  setup?: string[];
  /** Extra instructions for the agent. */
  instructions?: string;
  actAs?: "user" | "app";
  /** What the run may spend on its model (`budget:`), instead of SHIP_RUN_BUDGET. */
  budget?: Budget;
  /** Globs of paths Ship never pushes (`protectedPaths:`), on top of `.github/`. */
  protectedPaths?: string[];
  /** `closeIssue:` (default true): an issue run's pull request says `Fixes #N`. */
  closeIssue?: boolean;
  /** Things Ship changed in the repository's config and must say (a capped timeout). */
  notices?: string[];
}
