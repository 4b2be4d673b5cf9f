import type { ChildProcess } from "node:child_process";
import { ConnectRpcError } from "./connect-rpc-error.js";

/** envd's `process.ProcessEvent` in proto3 JSON form (bytes as base64). */
type ProcessEventJson =
  | { start: { pid: number } }
  | { data: { stdout: string } | { stderr: string } }
  | { end: { exitCode?: number; exited?: boolean; status: string; error?: string } }
  | { keepalive: Record<string, never> };

/** envd's `process.ProcessConfig`: what `commands.list()` reports back. */
interface ProcessConfigJson {
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
  /** Signals the command's whole process group; nothing once the command has exited. */
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

/** Go's `Signal.String()` for the signals commands usually die of. */
const goSignalNames: Partial<Record<NodeJS.Signals, string>> = {
  SIGKILL: "killed",
  SIGTERM: "terminated",
  SIGINT: "interrupt",
  SIGHUP: "hangup",
  SIGQUIT: "quit",
  SIGABRT: "aborted",
  SIGSEGV: "segmentation fault",
  SIGPIPE: "broken pipe",
  SIGALRM: "alarm clock",
  SIGUSR1: "user defined signal 1",
  SIGUSR2: "user defined signal 2",
};

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
  const listeners = new Set<(event: ProcessEventJson) => void>();
  const backlog: ProcessEventJson[] = [];
  let subscribed = false;
  let finalEvent: ProcessEventJson | undefined;
  const emit = (event: ProcessEventJson) => {
    if (!subscribed) backlog.push(event);
    for (const listener of listeners) listener(event);
  };
  let endedResolve: () => void = () => {};
  const ended = new Promise<void>((resolve) => {
    endedResolve = resolve;
  });

  child.stdout?.on("data", (chunk: Buffer) => emit({ data: { stdout: chunk.toString("base64") } }));
  child.stderr?.on("data", (chunk: Buffer) => emit({ data: { stderr: chunk.toString("base64") } }));
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
      finalEvent = { end: endEvent(code, signal) };
      emit(finalEvent);
      listeners.clear();
      endedResolve();
    });
  });

  return {
    pid,
    tag,
    config,
    ended,
    subscribe(listener) {
      listener({ start: { pid } });
      if (!subscribed) {
        subscribed = true;
        for (const event of backlog.splice(0)) listener(event);
      } else if (finalEvent) {
        listener(finalEvent);
      }
      if (finalEvent) return () => {};
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    writeStdin(data) {
      if (!child.stdin || child.stdin.destroyed || child.stdin.writableEnded) {
        throw new ConnectRpcError("failed_precondition", "stdin not enabled or closed");
      }
      child.stdin.write(data);
    },
    closeStdin() {
      child.stdin?.end();
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

function endEvent(
  code: number | null,
  signal: NodeJS.Signals | null,
): { exitCode?: number; exited?: boolean; status: string; error?: string } {
  if (signal !== null) {
    const status = `signal: ${goSignalNames[signal] ?? signal}`;
    return { exitCode: -1, status, error: status };
  }
  const exitCode = code ?? 0;
  const status = `exit status ${exitCode}`;
  return exitCode === 0
    ? { exitCode, exited: true, status }
    : { exitCode, exited: true, status, error: status };
}
