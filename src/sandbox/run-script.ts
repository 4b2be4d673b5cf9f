import { randomUUID } from "node:crypto";
import type { Sandbox } from "e2b";

/**
 * Runs a shell script inside the sandbox and returns its stdout; e2b errors (a non-zero
 * exit is `CommandExitError`) pass through. The SDK runs `bash -l -c`, so a login
 * profile (which the agent may edit) can print before the script: a fresh marker
 * printed first cuts that off. C locale keeps git's messages in English.
 */
export async function runScript(
  sandbox: Pick<Sandbox, "commands">,
  script: string,
  options: {
    cwd?: string;
    envs?: Record<string, string>;
    timeoutMs?: number;
    signal?: AbortSignal;
  } = {},
): Promise<string> {
  const marker = `ship-output-${randomUUID()}`;
  const result = await sandbox.commands.run(`printf '%s\\n' ${marker} && ${script}`, {
    ...(options.cwd ? { cwd: options.cwd } : {}),
    envs: { LC_ALL: "C", GIT_TERMINAL_PROMPT: "0", ...options.envs },
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const start = result.stdout.indexOf(`${marker}\n`);
  if (start < 0) throw new Error("the command's output was cut short");
  return result.stdout.slice(start + marker.length + 1);
}
