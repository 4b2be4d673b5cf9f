/** One figure of a benchmark run, with the target it is reported against (if any). */
export interface BenchFigure {
  /** Stable key, e.g. `ack.100.p99_ms`, for comparing runs. */
  key: string;
  /** What it is, in words, for the table. */
  label: string;
  value: number;
  unit: "ms" | "s" | "MB" | "ratio" | "runs/min" | "%";
  /** The target, e.g. `<= 50`; reported, never asserted. */
  target?: { op: "<=" | ">="; value: number };
}

/** A whole benchmark run as saved under `bench/results/`. */
export interface BenchResult {
  startedAt: string;
  machine: { cpus: number; memoryGiB: number; node: string };
  figures: BenchFigure[];
  notes: string[];
}
