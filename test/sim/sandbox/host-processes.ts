import { readdir, readFile } from "node:fs/promises";

/**
 * Pids of host processes whose command line contains `text`, read from `/proc`: how a
 * test proves that processes a sandbox started are really gone from this machine, not
 * just from the sandbox's view of itself.
 */
export async function hostProcessesWith(text: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    if (cmdline.split("\0").join(" ").includes(text)) pids.push(pid);
  }
  return pids;
}
