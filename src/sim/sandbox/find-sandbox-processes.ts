import { readdir, readFile, readlink } from "node:fs/promises";

/**
 * Host pids of every process of one sandbox, read from `/proc`. Under bwrap these are
 * the members of the init's pid namespace (the init included): nothing of the
 * sandbox can hide from that. Without isolation there is no such boundary, so they
 * are the processes that inherited the sandbox's `E2B_SANDBOX_ID` (daemons that left
 * their process group included) plus the members of the given process groups (what
 * envd started, should a command have changed that variable).
 */
export async function findSandboxProcesses(target: {
  namespacePid: number | undefined;
  sandboxId: string;
  groups: readonly number[];
}): Promise<number[]> {
  const namespace =
    target.namespacePid === undefined
      ? undefined
      : await readlink(`/proc/${target.namespacePid}/ns/pid`).catch(() => undefined);
  if (target.namespacePid !== undefined && namespace === undefined) return [];
  const marker = `E2B_SANDBOX_ID=${target.sandboxId}`;
  const groups = new Set(target.groups);
  const found: number[] = [];
  for (const entry of await readdir("/proc").catch(() => [])) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    if (namespace !== undefined) {
      if ((await readlink(`/proc/${pid}/ns/pid`).catch(() => undefined)) === namespace) {
        found.push(pid);
      }
      continue;
    }
    const group = processGroup(await readFile(`/proc/${pid}/stat`, "utf8").catch(() => ""));
    const environ = await readFile(`/proc/${pid}/environ`, "utf8").catch(() => "");
    if ((group !== undefined && groups.has(group)) || environ.split("\0").includes(marker)) {
      found.push(pid);
    }
  }
  return found;
}

/** The process group in `/proc/<pid>/stat`: the fifth field, counted after the `(comm)`. */
function processGroup(stat: string): number | undefined {
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const group = Number(fields[2]);
  return Number.isInteger(group) && group > 0 ? group : undefined;
}
