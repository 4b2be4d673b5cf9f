import { z } from "zod";

/**
 * Every kind of job Ship puts on its queue, with the schema its payload must satisfy.
 * Payloads are small references (ids): the state they point at lives in Ship's tables.
 */
export const jobRegistry = {
  /** Carry one run through its pipeline. */
  run: z.object({ runId: z.number().int().positive() }),
  /** First feedback on a new run: the 👀 reaction and the status comment ("queued"). */
  acknowledge: z.object({ runId: z.number().int().positive() }),
  /** Show a run's end in its status comment and labels when its own worker could not. */
  "show-outcome": z.object({ runId: z.number().int().positive() }),
  /** `/ship cancel`: kill the run's sandbox now and show the run as cancelled. */
  cancel: z.object({ runId: z.number().int().positive() }),
  /** `/ship ready`: mark a draft pull request ready for review, then say so. */
  ready: z.object({
    installationId: z.number().int().positive(),
    owner: z.string(),
    repo: z.string(),
    pullNumber: z.number().int().positive(),
    threadNumber: z.number().int().positive(),
  }),
  /** A short comment on a thread that does not start a run (usage, refusal). */
  reply: z.object({
    installationId: z.number().int().positive(),
    owner: z.string(),
    repo: z.string(),
    issueNumber: z.number().int().positive(),
    body: z.string().max(65_536),
  }),
  /** Hourly, on a schedule: delete run events past their retention period. */
  "prune-events": z.object({}),
  /** Every minute, on a schedule: kill sandboxes no run will use again. */
  "sweep-sandboxes": z.object({}),
} as const;

/** Jobs the queue sends by itself on a cron schedule (UTC), whichever process is up. */
export const jobSchedules: Partial<Record<JobName, string>> = {
  "prune-events": "17 * * * *",
  "sweep-sandboxes": "* * * * *",
};

export type JobName = keyof typeof jobRegistry;
export type JobData<N extends JobName> = z.infer<(typeof jobRegistry)[N]>;
