import type { PgBoss } from "pg-boss";
import type { Logger } from "pino";
import { type JobName, jobRegistry } from "../queue/job-registry.js";
import type { JobContext, JobHandlers } from "./job-handler.js";

/** A worker taking jobs off the queue. */
export interface Worker {
  /** Jobs being handled right now. */
  readonly active: number;
  /**
   * Stops taking jobs, lets running ones finish for `graceMs`, then aborts them (their
   * handlers see `signal.aborted`) and waits briefly for them to record that. The
   * queue's connections stay open for whoever else uses it (the web part sends jobs).
   */
  stop(): Promise<void>;
}

/** How long aborted handlers get to write down that they were interrupted. */
const abortSettleMs = 5_000;

/** Starts handling the given job kinds. */
export async function startWorker(params: {
  boss: PgBoss;
  /** The job kinds this worker takes, and their handlers. */
  handlers: Partial<JobHandlers>;
  /** Jobs of each kind one process handles at once (1 when not given). */
  concurrency: Partial<Record<JobName, number>>;
  /**
   * How often idle workers of a kind look for jobs besides being woken by new ones; a
   * job put back for later (`startAfter`) is only found this way. pg-boss's default: 30 s.
   */
  pollSeconds?: Partial<Record<JobName, number>>;
  graceMs: number;
  log: Logger;
}): Promise<Worker> {
  const { boss, handlers } = params;
  const log = params.log.child({ name: "worker" });
  const inFlight = new Set<Promise<void>>();

  for (const name of Object.keys(handlers) as JobName[]) {
    const handler = handlers[name] as (data: unknown, context: JobContext) => Promise<void>;
    const localConcurrency = params.concurrency[name] ?? 1;
    const poll = params.pollSeconds?.[name];
    const options = {
      localConcurrency,
      batchSize: 1,
      ...(poll ? { notifyPollingIntervalSeconds: poll } : {}),
    };
    await boss.work(name, options, async ([job]) => {
      if (!job) return;
      const jobLog = log.child({ job: name, jobId: job.id });
      const handled = (async () => {
        const data = jobRegistry[name].parse(job.data);
        await handler(data, {
          jobId: job.id,
          attempt: job.retryCount + 1,
          signal: job.signal,
          log: jobLog,
        });
      })();
      inFlight.add(handled);
      try {
        await handled;
      } catch (error) {
        jobLog.error({ err: error }, "job failed");
        throw error;
      } finally {
        inFlight.delete(handled);
      }
    });
  }
  log.info({ concurrency: params.concurrency }, "worker started");

  return {
    get active() {
      return inFlight.size;
    },
    async stop() {
      log.info({ active: inFlight.size, graceMs: params.graceMs }, "worker stopping");
      await boss.stop({ graceful: true, timeout: params.graceMs, close: false });
      if (inFlight.size > 0) {
        await Promise.race([
          Promise.allSettled([...inFlight]),
          new Promise((resolve) => setTimeout(resolve, abortSettleMs).unref()),
        ]);
      }
      log.info("worker stopped");
    },
  };
}
