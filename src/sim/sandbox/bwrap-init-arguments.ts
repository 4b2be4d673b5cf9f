import path from "node:path";
import type { SandboxTemplate } from "./prepare-sandbox-template.js";
import { sandboxUser } from "./sandbox-user.js";

/**
 * The home's size: E2B sandboxes have a bounded disk, and so does this one's home (a
 * tmpfs inside the sandbox), so an agent that fills it gets ENOSPC, not the host's disk.
 */
export const sandboxHomeBytes = 1024 * 1024 * 1024;

/** What the init runs: a shell that outlives `pkill sleep` and tells us it is up. */
const initScript = "trap '' HUP INT TERM; echo ready; while :; do sleep 86400 & wait $!; done";

/**
 * bwrap arguments for a sandbox's init: the process whose namespaces every command of
 * the sandbox joins. It sees `sandboxDir` as `/` (so `/home/user` is
 * `<sandboxDir>/home/user`), its template's `/usr` read-only, a synthesized `/etc`, its own
 * `/proc` and `/dev`; nothing else of the host (no `/root`, `/work`, host `/tmp`,
 * other sandboxes). Its own user namespace maps `user` (1000) to the server's uid, its
 * own pid namespace makes killing this init kill every process of the sandbox, and
 * `--die-with-parent` ends the sandbox if the server dies. The network namespace is
 * the host's, so sandboxes reach stand-ins on 127.0.0.1. bwrap writes the init's host
 * pid to fd 3 (`--info-fd`). The home is a tmpfs of `sandboxHomeBytes` that only the
 * sandbox's namespace sees; the server reaches it through `/proc/<init pid>/root`.
 */
export function bwrapInitArguments(template: SandboxTemplate, sandboxDir: string): string[] {
  const { uid, gid, home } = sandboxUser;
  const args = [
    "--unshare-user",
    "--uid",
    String(uid),
    "--gid",
    String(gid),
    "--unshare-pid",
    "--unshare-ipc",
    "--unshare-uts",
    "--hostname",
    "e2b.local",
    "--die-with-parent",
    "--new-session",
    "--info-fd",
    "3",
    "--bind",
    sandboxDir,
    "/",
    "--ro-bind",
    template.usrDir,
    "/usr",
    "--size",
    String(sandboxHomeBytes),
    "--tmpfs",
    home,
  ];
  for (const entry of template.systemEntries) args.push("--symlink", entry.symlink, entry.path);
  args.push("--proc", "/proc", "--dev", "/dev", "--ro-bind", template.etcDir, "/etc");
  for (const entry of template.hostEtcEntries) {
    const target = path.posix.join("/etc", entry);
    args.push("--ro-bind", target, target);
  }
  if (template.opencodeBinary && template.toolsPath) {
    args.push(
      "--ro-bind",
      template.opencodeBinary,
      path.posix.join(template.toolsPath, "opencode"),
    );
  }
  args.push(
    "--chdir",
    home,
    "--clearenv",
    "--setenv",
    "PATH",
    "/usr/bin:/bin",
    "--setenv",
    "HOME",
    home,
    "--",
    "/bin/bash",
    "-c",
    initScript,
  );
  return args;
}
