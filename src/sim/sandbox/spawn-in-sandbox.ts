import { type ChildProcess, spawn } from "node:child_process";
import { sandboxCommandLine } from "./sandbox-command-line.js";
import type { SandboxSpawnTarget } from "./sandbox-spawn-target.js";

/**
 * Starts `cmd args` for a sandbox in its own process group (so a signal reaches what
 * it spawned too), with exactly `env` as its environment: nothing of the server's
 * environment leaks in. Under bwrap it joins the sandbox's namespaces with nsenter as
 * `user`, in `hostCwd`; otherwise it is a plain host process in `hostCwd` (see
 * `sandboxCommandLine`).
 */
export function spawnInSandbox(
  target: SandboxSpawnTarget,
  command: {
    cmd: string;
    args: string[];
    env: Record<string, string>;
    hostCwd: string;
    stdin: boolean;
  },
): ChildProcess {
  const line = sandboxCommandLine(target, command);
  return spawn(line.file, line.args, {
    ...(line.cwd === undefined ? {} : { cwd: line.cwd }),
    env: command.env,
    detached: true,
    stdio: [command.stdin ? "pipe" : "ignore", "pipe", "pipe"],
  });
}
