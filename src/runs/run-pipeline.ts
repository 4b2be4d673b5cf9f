import type { Logger } from "pino";
import type { Run } from "./run.js";

/**
 * Carries a started run to its end and records the outcome with `finishRun`. It must
 * stop promptly when `signal` aborts (the worker is shutting down).
 */
export type RunPipeline = (
  run: Run,
  context: { signal: AbortSignal; log: Logger },
) => Promise<void>;
