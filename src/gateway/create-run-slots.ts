/**
 * A run's turns for model calls in this process: at most `limit` of a run's calls
 * past this point at once, the others queued in arrival order. Taken before the
 * request body is read, so calls that wait hold a socket, not up to 32 MiB of body
 * each. (The database's reservations hold the limit across web processes; this keeps
 * one process's memory bounded.)
 */
export function createRunSlots(limit: number): {
  /** True once the call has a slot; false if `ms` passed or `signal` aborted first. */
  acquire(runId: number, ms: number, signal: AbortSignal): Promise<boolean>;
  release(runId: number): void;
} {
  const runs = new Map<number, { active: number; queue: Array<() => void> }>();
  return {
    acquire(runId, ms, signal) {
      const run = runs.get(runId) ?? { active: 0, queue: [] };
      runs.set(runId, run);
      if (run.active < limit) {
        run.active++;
        return Promise.resolve(true);
      }
      return new Promise((resolve) => {
        const give = () => {
          settle();
          resolve(true);
        };
        const giveUp = () => {
          settle();
          resolve(false);
        };
        const settle = () => {
          clearTimeout(timer);
          signal.removeEventListener("abort", giveUp);
          const at = run.queue.indexOf(give);
          if (at !== -1) run.queue.splice(at, 1);
        };
        const timer = setTimeout(giveUp, ms);
        signal.addEventListener("abort", giveUp);
        if (signal.aborted) giveUp();
        else run.queue.push(give);
      });
    },
    release(runId) {
      const run = runs.get(runId);
      if (!run) return;
      const next = run.queue[0];
      // The slot passes straight to the next in line, or is freed.
      if (next) next();
      else run.active--;
      if (run.active === 0 && run.queue.length === 0) runs.delete(runId);
    },
  };
}
