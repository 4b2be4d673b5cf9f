import { readFileSync } from "node:fs";
import os from "node:os";

/** CPU used while a meter ran: by the watched processes, and by the whole machine. */
export interface CpuUse {
  /** CPU seconds the watched processes used (user + system). */
  processSeconds: number;
  /** CPU seconds the whole machine was busy (all cores, idle and iowait left out). */
  machineSeconds: number;
  /** Wall-clock seconds times the number of cores: the most the machine could have given. */
  capacitySeconds: number;
}

/** Clock ticks per second of /proc's counters (USER_HZ; 100 on Linux). */
const ticksPerSecond = 100;

/**
 * Starts measuring CPU from /proc: the processes `pids` (their own time, not their
 * children's) against the machine's. Call the returned function to read what was used
 * since. Linux only, like the rest of the bench.
 */
export function startCpuMeter(pids: readonly number[]): () => CpuUse {
  const start = { process: processTicks(pids), machine: machineTicks(), at: performance.now() };
  return () => ({
    processSeconds: (processTicks(pids) - start.process) / ticksPerSecond,
    machineSeconds: (machineTicks() - start.machine) / ticksPerSecond,
    capacitySeconds: ((performance.now() - start.at) / 1000) * os.cpus().length,
  });
}

function processTicks(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      // Fields after the command name (which may hold spaces): utime is 14th, stime 15th.
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Gone: its time is lost with it.
    }
  }
  return ticks;
}

function machineTicks(): number {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
  const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
  return [user, nice, system, irq, softirq, steal].reduce<number>((sum, n) => sum + (n ?? 0), 0);
}
