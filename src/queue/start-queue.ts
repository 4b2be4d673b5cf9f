import { PgBoss } from "pg-boss";
import type { Logger } from "pino";
import { type JobName, jobRegistry, jobSchedules } from "./job-registry.js";
import { defaultHeartbeatSeconds, queueOptions } from "./queue-options.js";

/**
 * Starts pg-boss on Ship's database (its tables live in the `pgboss` schema) and makes
 * sure every registered queue exists. LISTEN/NOTIFY wakes workers as soon as a job is
 * sent instead of at their next poll.
 */
export async function startQueue(params: {
  databaseUrl: string;
  runTimeoutMs: number;
  /**
   * How often a worker running a job proves it is alive. A job whose worker stopped
   * proving it (crashed, killed) is failed and retried by another worker after at most
   * about twice this: the queue checks for them that often too.
   */
  heartbeatSeconds?: number;
  log: Logger;
}): Promise<PgBoss> {
  const heartbeatSeconds = params.heartbeatSeconds ?? defaultHeartbeatSeconds;
  const log = params.log.child({ name: "queue" });
  const boss = new PgBoss({
    connectionString: params.databaseUrl,
    max: 4,
    useListenNotify: true,
    application_name: "ship-queue",
    // Each process looks for dead workers' jobs this often, and pg-boss lets one pass run
    // per max(monitor, supervise) interval across processes: both follow the heartbeat.
    superviseIntervalSeconds: heartbeatSeconds,
    monitorIntervalSeconds: heartbeatSeconds,
  });
  boss.on("error", (error) => log.error({ err: error }, "job queue error"));
  boss.on("warning", (warning) => log.warn({ warning }, "job queue warning"));
  await boss.start();
  const options = queueOptions(params.runTimeoutMs, heartbeatSeconds);
  const existing = new Set((await boss.getQueues()).map((queue) => queue.name));
  for (const name of Object.keys(jobRegistry) as JobName[]) {
    if (existing.has(name)) await boss.updateQueue(name, options[name]);
    else await boss.createQueue(name, options[name]).catch(ignoreIfCreatedMeanwhile);
  }
  for (const [name, cron] of Object.entries(jobSchedules)) await boss.schedule(name, cron, {});
  return boss;
}

/** Two processes starting at once may both try to create a queue; one wins. */
function ignoreIfCreatedMeanwhile(error: unknown): void {
  if (!String(error).includes("already exists")) throw error;
}
