import { readFileSync } from "node:fs";
import { constants } from "node:os";
import { ConnectRpcError } from "./connect-rpc-error.js";
import { createProcessEvents } from "./create-process-events.js";
import { processEndEvent } from "./process-end-event.js";
import type { SandboxSpawnTarget } from "./sandbox-spawn-target.js";
import { spawnPtyInSandbox } from "./spawn-pty-in-sandbox.js";
import type { ProcessConfigJson, SandboxProcess } from "./start-sandbox-process.js";

const signalNames = new Map<number, NodeJS.Signals>(
  Object.entries(constants.signals).map(([name, number]) => [number, name as NodeJS.Signals]),
);

/**
 * Starts `command` on a pseudo-terminal (see `spawnPtyInSandbox`) as an envd process:
 * its output goes out as `pty` data, input and resizes go to the terminal, and the end
 * event is envd's (`signal: killed` with exit code -1 after a kill). As in envd, a
 * signal goes to the shell alone: an interactive shell ignores SIGTERM, and what it
 * started hears of a kill through the terminal's hangup. Under bwrap the terminal's
 * process is nsenter, which runs the shell as its child and dies of the signal the
 * shell died of, so the signal goes to that child.
 */
export async function startSandboxPty(
  target: SandboxSpawnTarget,
  command: Parameters<typeof spawnPtyInSandbox>[1],
  config: ProcessConfigJson,
  tag: string | undefined,
): Promise<SandboxProcess> {
  const terminal = await spawnPtyInSandbox(target, command);
  const shellIsChild = target.isolation === "bwrap";
  const events = createProcessEvents();
  const { pid } = terminal;
  let exited = false;
  terminal.onData((chunk) => {
    // With `encoding: null` node-pty hands over Buffers, whatever its types say.
    events.emit({ data: { pty: Buffer.from(chunk).toString("base64") } });
  });
  // node-pty reports the exit once the terminal's output is read (or 200 ms later,
  // when a process left behind still holds the terminal open).
  terminal.onExit(({ exitCode, signal }) => {
    exited = true;
    events.end(processEndEvent(exitCode, signal ? (signalNames.get(signal) ?? null) : null));
  });
  const running = () => {
    if (exited) throw new ConnectRpcError("not_found", `process with pid ${pid} not found`);
  };

  return {
    pid,
    tag,
    config,
    ended: events.ended,
    subscribe: (listener) => events.subscribe(pid, listener),
    writeStdin() {
      throw new ConnectRpcError(
        "failed_precondition",
        "tty assigned to process: input should be written to the pty, not the stdin",
      );
    },
    closeStdin() {
      throw new ConnectRpcError("failed_precondition", "tty assigned to process: no stdin");
    },
    writePty(data) {
      running();
      terminal.write(data);
    },
    resize({ cols, rows }) {
      running();
      if (!(cols > 0 && rows > 0)) {
        throw new ConnectRpcError("invalid_argument", `invalid pty size ${cols}x${rows}`);
      }
      terminal.resize(cols, rows);
    },
    signal(signal) {
      if (exited) return;
      try {
        process.kill(shellIsChild ? (childOf(pid) ?? pid) : pid, signal);
      } catch {}
    },
  };
}

/** The first child of `pid` (nsenter has one: the command it runs), if it has one yet. */
function childOf(pid: number): number | undefined {
  try {
    const first = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(" ")[0];
    return first ? Number(first) : undefined;
  } catch {
    return undefined;
  }
}
