import type { Logger } from "pino";
import type { JobData, JobName } from "../queue/job-registry.js";

/** What a job handler gets besides its payload. */
export interface JobContext {
  jobId: string;
  /** 1 on the first attempt; higher when the queue retried the job (e.g. after a crash). */
  attempt: number;
  /** Aborted when the process is shutting down and the grace period is over. */
  signal: AbortSignal;
  log: Logger;
}

export type JobHandler<N extends JobName> = (
  data: JobData<N>,
  context: JobContext,
) => Promise<void>;

/** One handler per registered job kind. */
export type JobHandlers = { [N in JobName]: JobHandler<N> };
