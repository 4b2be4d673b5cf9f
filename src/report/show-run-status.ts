import type pg from "pg";
import type { GitHubClient } from "../github/github-client.js";
import type { Run } from "../runs/run.js";
import { ensureStatusComment } from "./ensure-status-comment.js";
import { renderStatusComment } from "./render-status-comment.js";
import { statusViewOf } from "./status-view-of.js";

/**
 * Shows a run as stored (typically ended: cancelled, interrupted) in its status comment,
 * from a job that is not the run's own worker: creates the comment if there is none yet,
 * edits it otherwise.
 */
export async function showRunStatus(params: {
  pool: pg.Pool;
  octokit: GitHubClient;
  run: Run;
  appId: number;
  /** The run's page, linked from the comment. */
  runUrl?: string;
  /** The signed retry link, offered when the run ended in a way a retry can help. */
  retryUrl?: string;
}): Promise<void> {
  const { pool, octokit, run, appId } = params;
  const [owner, repo] = run.repository.split("/") as [string, string];
  const body = renderStatusComment(
    statusViewOf(run, {
      ...(params.runUrl ? { runUrl: params.runUrl } : {}),
      ...(params.retryUrl ? { retryUrl: params.retryUrl } : {}),
    }),
  );
  const target = { owner, repo, issueNumber: run.threadNumber };
  const { id, created } = await ensureStatusComment({
    pool,
    octokit,
    runId: run.id,
    ...target,
    appId,
    body,
  });
  if (!created) await octokit.rest.issues.updateComment({ owner, repo, comment_id: id, body });
}
