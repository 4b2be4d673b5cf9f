import type { ChildProcess } from "node:child_process";
import { ConnectRpcError } from "./connect-rpc-error.js";
import { createProcessEvents, type ProcessEventJson } from "./create-process-events.js";
import { processEndEvent } from "./process-end-event.js";

/** envd's `process.ProcessConfig`: what `commands.list()` reports back. */
export interface ProcessConfigJson {
  cmd: string;
  args: string[];
  envs: Record<string, string>;
  cwd?: string;
}

/** A command running in a sandbox, as envd tracks it. */
export interface SandboxProcess {
  readonly pid: number;
  readonly tag: string | undefined;
  readonly config: ProcessConfigJson;
  /**
   * Sends the start event at once, then output and the end event as they happen
   * (output from before the first subscriber is kept for it). Returns an unsubscribe.
   */
  subscribe(listener: (event: ProcessEventJson) => void): () => void;
  writeStdin(data: Buffer): void;
  closeStdin(): void;
  /** Types `data` into the process's terminal; only for a process started with a PTY. */
  writePty(data: Buffer): void;
  /** Resizes the process's terminal (it gets SIGWINCH); only with a PTY. */
  resize(size: { cols: number; rows: number }): void;
  /**
   * Signals the command: a command's whole process group, a PTY's shell alone (as envd
   * does); nothing once it has exited.
   */
  signal(signal: "SIGKILL" | "SIGTERM"): void;
  /** Settles once the end event has gone out. */
  readonly ended: Promise<void>;
}

/**
 * How long output may trail the process's exit while children it left behind (`cmd &`)
 * still hold its stdout. Go's `cmd.Wait`, which envd uses, closes the pipes once the
 * process exits, so their later output is dropped there too; without this cut a
 * command would never end while a background child lives. When nothing of the
 * command's process group is left, what is still in the pipes is read to the end (on
 * a busy machine that takes longer than this grace), for at most `drainLimitMs`.
 */
const outputGraceMs = 50;
const drainLimitMs = 5_000;

/**
 * Wraps a spawned child as an envd process once it has started; rejects (with a
 * Connect error) when it could not be started. The end event mirrors envd's:
 * `exit status N` or `signal: killed`, with the exit code -1 for a signal.
 */
export async function startSandboxProcess(
  child: ChildProcess,
  config: ProcessConfigJson,
  tag: string | undefined,
): Promise<SandboxProcess> {
  const events = createProcessEvents();
  child.stdout?.on("data", (chunk: Buffer) =>
    events.emit({ data: { stdout: chunk.toString("base64") } }),
  );
  child.stderr?.on("data", (chunk: Buffer) =>
    events.emit({ data: { stderr: chunk.toString("base64") } }),
  );
  // stdin closed by the process is not our error.
  child.stdin?.on("error", () => {});

  await new Promise<void>((resolve, reject) => {
    child.once("spawn", resolve);
    // `on`, not `once`: a later error (a failed kill) must not go unhandled.
    child.on("error", (error) =>
      reject(new ConnectRpcError("invalid_argument", `error starting process: ${error.message}`)),
    );
  });
  const pid = child.pid ?? 0;

  child.once("exit", (code, signal) => {
    const drained = Promise.all(
      [child.stdout, child.stderr].map(
        (stream) =>
          new Promise<void>((resolve) => {
            if (!stream || stream.readableEnded || stream.destroyed) resolve();
            else stream.once("close", () => resolve());
          }),
      ),
    );
    const waitMs = groupAlive(pid) ? outputGraceMs : drainLimitMs;
    const grace = new Promise<void>((resolve) => setTimeout(resolve, waitMs).unref());
    void Promise.race([drained, grace]).then(() => {
      child.stdout?.destroy();
      child.stderr?.destroy();
      events.end(processEndEvent(code, signal));
    });
  });

  return {
    pid,
    tag,
    config,
    ended: events.ended,
    subscribe: (listener) => events.subscribe(pid, listener),
    writeStdin(data) {
      if (!child.stdin || child.stdin.destroyed || child.stdin.writableEnded) {
        throw new ConnectRpcError("failed_precondition", "stdin not enabled or closed");
      }
      child.stdin.write(data);
    },
    closeStdin() {
      child.stdin?.end();
    },
    writePty() {
      throw new ConnectRpcError("failed_precondition", "tty not assigned to process");
    },
    resize() {
      throw new ConnectRpcError("failed_precondition", "tty not assigned to process");
    },
    signal(signal) {
      // Once reaped its pid, and so its process group id, may belong to someone else.
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-pid, signal);
      } catch {
        child.kill(signal);
      }
    },
  };
}

/** Whether any process of the group `pgid` still runs (a pgid is not reused while one does). */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
