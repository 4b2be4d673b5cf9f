import type { TaskOptions } from "../commands/ship-command.js";

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
  /** The repository's `.github/ship.yml` settings that shape the run, as read at request time. */
  settings?: RunSettings;
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
}
