import { CommandExitError, NotFoundError, type Sandbox } from "e2b";
import { runScript } from "../sandbox/run-script.js";
import { PushError } from "./push-error.js";

/**
 * Runs a shell script (built with `shellCommand`, never from raw values) in `cwd` inside
 * the sandbox and returns its stdout (see `runScript`). A failure becomes a `PushError` of kind `sandbox` saying what Ship was
 * `doing`; only a sandbox that did not answer is worth retrying, as git failing or the
 * sandbox being gone will not change. Git's output is parsed, so output over
 * `maxOutputBytes` (default 1 MiB) fails the step rather than arriving cut.
 */
export async function runInSandbox(params: {
  sandbox: Pick<Sandbox, "commands">;
  cwd: string;
  script: string;
  doing: string;
  signal?: AbortSignal;
  maxOutputBytes?: number;
}): Promise<string> {
  try {
    return await runScript(params.sandbox, params.script, {
      cwd: params.cwd,
      cutOutput: "fail",
      ...(params.maxOutputBytes ? { maxOutputBytes: params.maxOutputBytes } : {}),
      ...(params.signal ? { signal: params.signal } : {}),
    });
  } catch (error) {
    if (params.signal?.aborted) throw params.signal.reason;
    const exited = error instanceof CommandExitError;
    const detail = exited ? error.stderr.trim() || `exit code ${error.exitCode}` : String(error);
    throw new PushError({
      kind: "sandbox",
      message: `Ship could not ${params.doing} in the sandbox: ${detail}`,
      retryable:
        !exited &&
        !(error instanceof NotFoundError) &&
        !(error instanceof Error && error.message.includes("cut short")),
      cause: error,
    });
  }
}
