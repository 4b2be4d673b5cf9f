/** Options a task may carry, written before the task text. */
export interface TaskOptions {
  /** `--model provider/model`: overrides the repository's and Ship's default model. */
  model?: string;
  /** `--branch name`: the branch to push to instead of `ship/<slug>-<number>`. */
  branch?: string;
  /**
   * `--new`: a fresh branch and pull request even though the issue has an open one from
   * an earlier run (without it, Ship points at that pull request instead).
   */
  new?: boolean;
}

/** Options `/ship retry` may take: another model for the same request. */
export interface RetryOptions {
  model?: string;
}

/** What a `/ship` line asks for. */
export type ShipCommand = (
  | { kind: "task"; task: string; options: TaskOptions }
  | { kind: "help" }
  | { kind: "status" }
  | { kind: "cancel" }
  | { kind: "retry"; options?: RetryOptions }
  | { kind: "ready" }
  /** Addressed to Ship but malformed; `problem` is said back to the commenter. */
  | { kind: "invalid"; problem: string }
) & {
  /**
   * Set when a later line of the same comment starts with `/ship` too: it is not run
   * (one request per comment), and Ship says so.
   */
  anotherRequest?: true;
};

/** Subcommands: a `/ship` line whose first word is one of these. */
export const subcommands = ["help", "status", "cancel", "retry", "ready"] as const;
