import { CommandExitError, type Sandbox } from "e2b";
import { shellCommand } from "../git/shell-command.js";
import { RunError } from "../runs/run-error.js";
import { runScript } from "./run-script.js";

/**
 * Runs `argv` (quoted, never interpolated) inside the sandbox and returns stdout. A
 * non-zero exit becomes a RunError of `category` that says what Ship was `doing`;
 * a sandbox that did not answer is retryable, a command that failed is not. Output past
 * 1 MiB is cut with a note (see `runScript`), and a command printing without end is stopped.
 */
export async function runCommand(
  sandbox: Pick<Sandbox, "commands">,
  argv: readonly string[],
  options: {
    category: string;
    doing: string;
    cwd?: string;
    envs?: Record<string, string>;
    timeoutMs?: number;
    whatToDo?: string;
  },
): Promise<string> {
  try {
    return await runScript(sandbox, shellCommand(argv), {
      ...(options.cwd ? { cwd: options.cwd } : {}),
      ...(options.envs ? { envs: options.envs } : {}),
      timeoutMs: options.timeoutMs ?? 120_000,
    });
  } catch (error) {
    const exited = error instanceof CommandExitError;
    const detail = exited
      ? lastLines(error.stderr) || `exit code ${error.exitCode}`
      : String(error);
    throw new RunError({
      category: options.category,
      message: `Ship could not ${options.doing}: ${detail}`,
      // Output past Ship's limit will pass it again.
      retryable: !exited && !(error instanceof Error && error.message.includes("cut short")),
      ...(options.whatToDo ? { whatToDo: options.whatToDo } : {}),
      cause: error,
    });
  }
}

function lastLines(text: string): string {
  return text.trim().split("\n").slice(-3).join(" ").slice(0, 500);
}
