import type { Queryable } from "../db/queryable.js";
import type { RunRequest } from "./run-request.js";

/** A run about to be queued. */
export interface NewRun {
  deliveryId: string;
  installationId: number;
  repositoryId: number;
  repository: string;
  threadNumber: number;
  trigger: "issue_command" | "pr_command" | "review_command" | "label";
  requester: { login: string; id: number };
  request: RunRequest;
  model: string;
  retryOf?: number;
  /** A branch the run continues on, when it was pushed (a retry continues its run's). */
  branch?: string;
}

/** Inserts a queued run and returns its id (inside the ingest transaction). */
export async function insertRun(db: Queryable, run: NewRun): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO runs (delivery_id, installation_id, repository_id, repository, thread_number, trigger,
       requester_login, requester_id, request, model, retry_of, branch)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id::int AS id`,
    [
      run.deliveryId,
      run.installationId,
      run.repositoryId,
      run.repository,
      run.threadNumber,
      run.trigger,
      run.requester.login,
      run.requester.id,
      run.request,
      run.model,
      run.retryOf ?? null,
      run.branch ?? null,
    ],
  );
  return (rows[0] as { id: number }).id;
}
