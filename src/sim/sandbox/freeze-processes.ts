import { readFile } from "node:fs/promises";

const maxRounds = 50;
const roundPauseMs = 5;

/**
 * SIGSTOPs every process `find` returns until a round finds none still running, so
 * a child forked while its parent was being stopped is caught by the next round.
 * Returns every pid stopped, for SIGCONT on resume: stopped processes cannot fork or
 * exit by themselves, so that list stays complete and their pids stay theirs.
 */
export async function freezeProcesses(find: () => Promise<number[]>): Promise<number[]> {
  const frozen = new Set<number>();
  for (let round = 0; round < maxRounds; round += 1) {
    const running: number[] = [];
    for (const pid of await find()) {
      const state = await processState(pid);
      if (state !== undefined && !"TtZX".includes(state)) running.push(pid);
    }
    if (running.length === 0) break;
    for (const pid of running) {
      try {
        process.kill(pid, "SIGSTOP");
        frozen.add(pid);
      } catch {}
    }
    // SIGSTOP takes effect asynchronously; the next round checks it did.
    await new Promise((resolve) => setTimeout(resolve, roundPauseMs));
  }
  return [...frozen];
}

/** The one-letter state in `/proc/<pid>/stat` (R, S, D, T, Z...); undefined once gone. */
async function processState(pid: number): Promise<string | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
  const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
  return state || undefined;
}
