import { randomUUID } from "node:crypto";
import type { Sandbox } from "e2b";

/** Output of a command Ship keeps by default (stdout and stderr each). */
export const keptOutputBytes = 1024 * 1024;
/**
 * Past this much output the command is stopped: the e2b SDK keeps a command's whole
 * output in memory, and the sandbox runs code Ship does not trust.
 */
const stoppingOutputBytes = 16 * 1024 * 1024;

/**
 * Runs a shell script inside the sandbox and returns its stdout; e2b errors (a non-zero
 * exit is `CommandExitError`) pass through. The SDK runs `bash -l -c`, so a login
 * profile (which the agent may edit) can print before the script: a fresh marker
 * printed first cuts that off. C locale keeps git's messages in English.
 *
 * Output is bounded by what Ship counts, not by anything in the sandbox: the first
 * `maxOutputBytes` (default 1 MiB) are kept and a note says what was cut; output that
 * must be whole to be understood (`cutOutput: "fail"`: git listings, commit objects)
 * stops the command and throws instead once it passes the limit, as does any output over
 * 16 MiB.
 */
export async function runScript(
  sandbox: Pick<Sandbox, "commands">,
  script: string,
  options: {
    cwd?: string;
    envs?: Record<string, string>;
    timeoutMs?: number;
    signal?: AbortSignal;
    maxOutputBytes?: number;
    cutOutput?: "note" | "fail";
  } = {},
): Promise<string> {
  const marker = `ship-output-${randomUUID()}`;
  const keep = (options.maxOutputBytes ?? keptOutputBytes) + marker.length + 1;
  const fail = options.cutOutput === "fail";
  const stopAt = fail ? keep : Math.max(stoppingOutputBytes, keep);
  const stdout = boundedText(keep);
  const stderr = boundedText(keep);
  let stopped: string | undefined;
  let stop: (() => void) | undefined;
  const watch = (stream: ReturnType<typeof boundedText>, name: string) => (data: string) => {
    stream.add(data);
    if (stream.seen > stopAt && !stopped) {
      stopped = name;
      stop?.();
    }
  };
  const handle = await sandbox.commands.run(`printf '%s\\n' ${marker} && ${script}`, {
    background: true,
    onStdout: watch(stdout, "stdout"),
    onStderr: watch(stderr, "stderr"),
    ...(options.cwd ? { cwd: options.cwd } : {}),
    envs: { LC_ALL: "C", GIT_TERMINAL_PROMPT: "0", ...options.envs },
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  stop = () => void handle.kill().catch(() => false);
  if (stopped) stop();
  const onAbort = () => stop?.();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    await handle.wait();
  } catch (error) {
    if (!stopped) throw error;
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
  }
  if (stopped) {
    throw new Error(
      `the command's output was cut short: its ${stopped} passed ${formatBytes(stopAt)}, so Ship stopped it`,
    );
  }
  const text = stdout.text();
  const start = text.indexOf(`${marker}\n`);
  if (start < 0) throw new Error("the command's output was cut short");
  const kept = text.slice(start + marker.length + 1);
  if (stdout.seen <= keep) return kept;
  if (fail) throw new Error(`the command's output was cut short: over ${formatBytes(keep)}`);
  return `${kept}\n[Ship kept the first ${formatBytes(keep)} of this output; ${stdout.seen - keep} more bytes were cut]\n`;
}

/** Text arriving in pieces, of which the first `limit` bytes are kept; `seen` counts all. */
function boundedText(limit: number) {
  const parts: string[] = [];
  let kept = 0;
  let seen = 0;
  return {
    get seen() {
      return seen;
    },
    add(data: string) {
      const bytes = Buffer.byteLength(data);
      seen += bytes;
      if (kept >= limit) return;
      const room = limit - kept;
      parts.push(bytes <= room ? data : Buffer.from(data).subarray(0, room).toString());
      kept += Math.min(bytes, room);
    },
    text: () => parts.join(""),
  };
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MiB` : `${bytes} bytes`;
}
