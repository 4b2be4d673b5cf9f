import type { IPty } from "node-pty";
import { sandboxCommandLine } from "./sandbox-command-line.js";
import type { SandboxSpawnTarget } from "./sandbox-spawn-target.js";

/** node-pty's size when envd would get 0 (proto3 JSON omits it): node-pty cannot open 0x0. */
const fallbackSize = { cols: 80, rows: 24 };

/**
 * Starts `cmd args` for a sandbox on a new pseudo-terminal of `size`, entering the
 * sandbox exactly as `spawnInSandbox` does (nsenter under bwrap), with `env` as its
 * environment. The terminal's process leads a session of its own with the terminal
 * as its controlling tty, as envd's are. node-pty adds `PWD` (the host cwd; a login
 * shell corrects it) and `TERM` (`xterm` when `env` has none). Output comes as raw
 * bytes. node-pty is loaded only here, so a stand-in without it still runs commands.
 */
export async function spawnPtyInSandbox(
  target: SandboxSpawnTarget,
  command: {
    cmd: string;
    args: string[];
    env: Record<string, string>;
    hostCwd: string;
    size: { cols: number; rows: number };
  },
): Promise<IPty> {
  const { spawn } = await import("node-pty");
  const line = sandboxCommandLine(target, command);
  return spawn(line.file, line.args, {
    cwd: line.cwd ?? command.hostCwd,
    env: command.env,
    cols: command.size.cols || fallbackSize.cols,
    rows: command.size.rows || fallbackSize.rows,
    encoding: null,
  });
}
