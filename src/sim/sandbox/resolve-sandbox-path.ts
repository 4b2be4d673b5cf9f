import { lstat, readlink } from "node:fs/promises";
import path from "node:path";
import { ConnectRpcError } from "./connect-rpc-error.js";
import { sandboxUser } from "./sandbox-user.js";

/** A path inside a sandbox and the host file that backs it. */
export interface SandboxPath {
  /** Absolute and normalised, as the sandbox sees it, e.g. `/home/user/repo`. */
  sandboxPath: string;
  /** The same file on the host, always inside the sandbox's directory. */
  hostPath: string;
}

const maxSymlinkHops = 40;

/**
 * Resolves a path the SDK sent (absolute, relative to the home, or `~/...`) to the
 * host file under `root`, the sandbox's directory. Symlinks are followed as the
 * sandbox sees them, so an absolute target means the sandbox's `/`, never the host's:
 * a link a sandbox process plants cannot make this server read or write outside
 * `root`. `followLast: false` leaves a final symlink itself (remove, rename, stat).
 */
export async function resolveSandboxPath(
  root: string,
  requested: string,
  options: { followLast?: boolean } = {},
): Promise<SandboxPath> {
  const followLast = options.followLast ?? true;
  let pending = components(expand(withoutHostPrefix(root, requested)));
  let resolved: string[] = [];
  let hops = 0;
  while (pending.length > 0) {
    const [name, ...rest] = pending as [string, ...string[]];
    pending = rest;
    if (name === ".") continue;
    if (name === "..") {
      resolved.pop();
      continue;
    }
    const candidate = [...resolved, name];
    if (pending.length === 0 && !followLast) {
      resolved = candidate;
      break;
    }
    const target = await symlinkTarget(path.join(root, ...candidate));
    if (target === null) {
      resolved = candidate;
      continue;
    }
    if (target === undefined) {
      // Nothing exists from here on, so no further symlinks: finish lexically.
      resolved = components(path.posix.join("/", ...candidate, ...pending));
      break;
    }
    hops += 1;
    if (hops > maxSymlinkHops) {
      throw new ConnectRpcError(
        "failed_precondition",
        `too many levels of symbolic links in ${requested}`,
      );
    }
    pending = [...components(withoutHostPrefix(root, target)), ...pending];
    resolved = target.startsWith("/") ? [] : resolved;
  }
  return {
    sandboxPath: `/${resolved.join("/")}`,
    hostPath: path.join(root, ...resolved),
  };
}

/**
 * Without isolation a sandbox's processes see its files at their host paths (`HOME` is
 * `<root>/home/user`), and hand those paths back (a command's `$HOME`, `pwd`, a link
 * they made): the host form of a path inside `root` means the same file.
 */
function withoutHostPrefix(root: string, requested: string): string {
  const prefix = root.endsWith("/") ? root.slice(0, -1) : root;
  if (prefix === "" || !requested.startsWith(prefix)) return requested;
  const rest = requested.slice(prefix.length);
  return rest === "" || rest.startsWith("/") ? rest || "/" : requested;
}

function expand(requested: string): string {
  // envd resolves these against the user's home, as a shell would.
  const home = sandboxUser.home;
  if (requested === "" || requested === "~") return home;
  if (requested.startsWith("~/")) return path.posix.join(home, requested.slice(2));
  if (!requested.startsWith("/")) return path.posix.join(home, requested);
  return requested;
}

function components(sandboxPath: string): string[] {
  return sandboxPath.split("/").filter((part) => part !== "");
}

/** The link's target; null when `hostPath` is not a link; undefined when it is missing. */
async function symlinkTarget(hostPath: string): Promise<string | null | undefined> {
  try {
    const stats = await lstat(hostPath);
    return stats.isSymbolicLink() ? await readlink(hostPath) : null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw error;
  }
}
