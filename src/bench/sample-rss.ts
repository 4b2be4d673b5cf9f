import { readFile } from "node:fs/promises";

/** Samples a process's resident memory (VmRSS) until stopped; keeps the peak, in MB. */
export function sampleRss(pid: number, everyMs = 200): { peakMb(): number; stop(): void } {
  let peak = 0;
  const timer = setInterval(() => {
    readFile(`/proc/${pid}/status`, "utf8")
      .then((status) => {
        const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
        peak = Math.max(peak, kb / 1024);
      })
      .catch(() => {});
  }, everyMs);
  timer.unref();
  return { peakMb: () => peak, stop: () => clearInterval(timer) };
}
