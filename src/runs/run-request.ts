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
}
