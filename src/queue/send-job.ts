import type { PgBoss, SendOptions } from "pg-boss";
import type { Queryable } from "../db/queryable.js";
import { type JobData, type JobName, jobRegistry } from "./job-registry.js";

/**
 * Puts a job on the queue after checking its payload against the registry. With `tx`,
 * the job is inserted inside that transaction, so it exists exactly when the rows
 * written beside it do.
 */
export async function sendJob<N extends JobName>(
  boss: PgBoss,
  name: N,
  data: JobData<N>,
  tx?: Queryable,
  options: Pick<SendOptions, "startAfter"> = {},
): Promise<string> {
  const payload = jobRegistry[name].parse(data);
  const db = tx && {
    executeSql: (text: string, values?: unknown[]) => tx.query(text, values),
  };
  const id = await boss.send(name, payload, { ...options, ...(db ? { db } : {}) });
  if (!id) throw new Error(`the queue did not accept the ${name} job`);
  return id;
}
