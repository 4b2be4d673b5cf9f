import type { RunRequest } from "./run-request.js";
import type { RunResult } from "./run-result.js";

/** Where a run is in its life. Only `queued` and `running` are active. */
export type RunState = "queued" | "running" | "succeeded" | "failed" | "cancelled";

/** A run as stored, with the recovery points written as its phases complete. */
export interface Run {
  id: number;
  deliveryId: string | null;
  installationId: number;
  repositoryId: number;
  repository: string;
  threadNumber: number;
  trigger: string;
  requesterLogin: string;
  requesterId: number;
  request: RunRequest;
  retryOf: number | null;
  state: RunState;
  phase: string;
  errorCategory: string | null;
  errorMessage: string | null;
  attempts: number;
  statusCommentId: number | null;
  sandboxId: string | null;
  branch: string | null;
  baseSha: string | null;
  headSha: string | null;
  prNumber: number | null;
  actingLogin: string | null;
  model: string | null;
  result: RunResult | null;
  /** Set by the model gateway when it refused a call: which budget, in words. */
  budgetReached: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** SELECT list that maps the `runs` row onto `Run`. */
export const runColumns = `id::int AS "id", delivery_id AS "deliveryId",
  installation_id::float8 AS "installationId", repository_id::float8 AS "repositoryId",
  repository, thread_number AS "threadNumber", trigger, requester_login AS "requesterLogin",
  requester_id::float8 AS "requesterId", request, retry_of::int AS "retryOf", state, phase,
  error_category AS "errorCategory", error_message AS "errorMessage", attempts,
  status_comment_id::float8 AS "statusCommentId", sandbox_id AS "sandboxId", branch,
  base_sha AS "baseSha", head_sha AS "headSha", pr_number AS "prNumber",
  acting_login AS "actingLogin", model, result, budget_reached AS "budgetReached", created_at AS "createdAt", started_at AS "startedAt",
  finished_at AS "finishedAt"`;

/** True once a run can no longer change: succeeded, failed or cancelled. */
export function isFinished(state: RunState): boolean {
  return state !== "queued" && state !== "running";
}
