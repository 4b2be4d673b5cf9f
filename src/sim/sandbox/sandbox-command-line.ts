import type { SandboxSpawnTarget } from "./sandbox-spawn-target.js";
import { sandboxUser } from "./sandbox-user.js";

/**
 * The host command line that runs `cmd args` for a sandbox, shared by pipes and PTYs so
 * both enter the sandbox the same way. Under bwrap it is nsenter joining the sandbox's
 * namespaces as `user`, in `hostCwd` (opened on the host before joining, so it is the
 * same directory the sandbox sees as its cwd); otherwise `cmd` itself, run in `hostCwd`.
 */
export function sandboxCommandLine(
  target: SandboxSpawnTarget,
  command: { cmd: string; args: string[]; hostCwd: string },
): { file: string; args: string[]; cwd: string | undefined } {
  if (target.isolation === "none") {
    return { file: command.cmd, args: command.args, cwd: command.hostCwd };
  }
  return {
    file: "nsenter",
    args: [
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
    cwd: undefined,
  };
}
