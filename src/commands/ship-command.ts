/** Options a task may carry, written before the task text. */
export interface TaskOptions {
  /** `--model provider/model`: overrides the repository's and Ship's default model. */
  model?: string;
  /** `--branch name`: the branch to push to instead of `ship/<slug>-<number>`. */
  branch?: string;
}

/** What a `/ship` line asks for. */
export type ShipCommand =
  | { kind: "task"; task: string; options: TaskOptions }
  | { kind: "help" }
  | { kind: "status" }
  | { kind: "cancel" }
  | { kind: "retry" }
  | { kind: "ready" }
  /** Addressed to Ship but malformed; `problem` is said back to the commenter. */
  | { kind: "invalid"; problem: string };

/** Subcommands: a `/ship` line holding exactly one of these words. */
export const subcommands = ["help", "status", "cancel", "retry", "ready"] as const;
