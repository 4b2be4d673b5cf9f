import type { PgBoss } from "pg-boss";
import type { Queryable } from "../db/queryable.js";
import type { NewRun } from "./insert-run.js";
import { queueRun } from "./queue-run.js";
import type { Run } from "./run.js";

/**
 * Queues `previous` again, same request and model, asked by `requester` (who may differ
 * from the first requester: anyone with write access can retry). The new run continues
 * on `previous`'s branch when that was pushed, so work kept by a checkpoint (a budget
 * stop) or before a failure is built on, and its pull request stays the one. With
 * `model` (`/ship retry --model x`), the same request with that model instead.
 */
export function retryRun(
  boss: PgBoss,
  tx: Queryable,
  previous: Run,
  requester: { login: string; id: number },
  deliveryId: string,
  model?: string,
): Promise<number> {
  const request =
    model === undefined
      ? previous.request
      : { ...previous.request, options: { ...previous.request.options, model } };
  return queueRun(boss, tx, {
    deliveryId,
    installationId: previous.installationId,
    repositoryId: previous.repositoryId,
    repository: previous.repository,
    threadNumber: previous.threadNumber,
    trigger: previous.trigger as NewRun["trigger"],
    requester,
    request,
    model: model ?? previous.model ?? "",
    retryOf: previous.id,
    // Continues on the branch the run pushed (its PR included), if it still exists then.
    ...(previous.branch ? { branch: previous.branch } : {}),
  });
}
