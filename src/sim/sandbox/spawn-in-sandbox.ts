import { type ChildProcess, spawn } from "node:child_process";
import { sandboxUser } from "./sandbox-user.js";

/** How a command is run: inside the sandbox's namespaces, or as a plain host process. */
export type SandboxSpawnTarget =
  | { isolation: "bwrap"; namespacePid: number }
  | { isolation: "none" };

/**
 * Starts `cmd args` for a sandbox in its own process group (so a signal reaches what
 * it spawned too), with exactly `env` as its environment: nothing of the server's
 * environment leaks in. Under bwrap it joins the sandbox's namespaces with nsenter as
 * `user`, in `hostCwd` (opened on the host before joining, so it is the same directory
 * the sandbox sees as its cwd); otherwise it is a plain host process in `hostCwd`.
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
  const stdio: ["pipe" | "ignore", "pipe", "pipe"] = [
    command.stdin ? "pipe" : "ignore",
    "pipe",
    "pipe",
  ];
  if (target.isolation === "none") {
    return spawn(command.cmd, command.args, {
      cwd: command.hostCwd,
      env: command.env,
      detached: true,
      stdio,
    });
  }
  return spawn(
    "nsenter",
    [
      "--target",
      String(target.namespacePid),
      "--user",
      "--mount",
      "--pid",
      "--uts",
      "--ipc",
      "--root",
      `--wd=${command.hostCwd}`,
      "--setuid",
      String(sandboxUser.uid),
      "--setgid",
      String(sandboxUser.gid),
      "--",
      command.cmd,
      ...command.args,
    ],
    { env: command.env, detached: true, stdio },
  );
}
