import { z } from "zod";

/**
 * Every kind of job Ship puts on its queue, with the schema its payload must satisfy.
 * Payloads are small references (ids): the state they point at lives in Ship's tables.
 */
export const jobRegistry = {
  /** Carry one run through its pipeline. */
  run: z.object({ runId: z.number().int().positive() }),
} as const;

export type JobName = keyof typeof jobRegistry;
export type JobData<N extends JobName> = z.infer<(typeof jobRegistry)[N]>;
