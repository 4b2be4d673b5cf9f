import { readdir, readFile } from "node:fs/promises";

/**
 * The host pids of a bwrap sandbox's init: the namespace's pid 1 (bwrap's reaper,
 * `namespacePid`) and the init script it started first. Killing either ends the
 * namespace, so a filesystem-only pause, which kills everything else, spares them.
 * Daemons orphaned to pid 1 are its children too, but started later.
 */
export async function findInitProcesses(namespacePid: number): Promise<number[]> {
  let script: { pid: number; startedAt: number } | undefined;
  for (const entry of await readdir("/proc").catch(() => [])) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
    // After "(comm) ": state ppid pgrp session tty tpgid flags minflt cminflt majflt
    // cmajflt utime stime cutime cstime priority nice threads itrealvalue starttime.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[1]) !== namespacePid) continue;
    const startedAt = Number(fields[19]);
    if (!script || startedAt < script.startedAt) script = { pid, startedAt };
  }
  return script ? [namespacePid, script.pid] : [namespacePid];
}
