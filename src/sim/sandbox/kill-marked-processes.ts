import { readdir, readFile } from "node:fs/promises";

/**
 * SIGKILLs every process whose environment holds `name=value`, found through `/proc`.
 * Without namespaces this is how a sandbox's daemons that left their process group
 * (`setsid`, double forks) are still found: they inherit the sandbox's
 * `E2B_SANDBOX_ID`. Returns how many were signalled.
 */
export async function killMarkedProcesses(name: string, value: string): Promise<number> {
  const marker = `${name}=${value}`;
  let entries: string[];
  try {
    entries = await readdir("/proc");
  } catch {
    return 0;
  }
  let killed = 0;
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let environ: string;
    try {
      environ = await readFile(`/proc/${pid}/environ`, "utf8");
    } catch {
      continue;
    }
    if (!environ.split("\0").includes(marker)) continue;
    try {
      process.kill(pid, "SIGKILL");
      killed += 1;
    } catch {}
  }
  return killed;
}
