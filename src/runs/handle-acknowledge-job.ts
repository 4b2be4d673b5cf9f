import type pg from "pg";
import type { GitHubApp } from "../github/create-github-app.js";
import { ensureStatusComment } from "../report/ensure-status-comment.js";
import { renderStatusComment } from "../report/render-status-comment.js";
import type { StatusView } from "../report/status-view.js";
import { statusViewOf } from "../report/status-view-of.js";
import type { JobHandler } from "../worker/job-handler.js";
import { getRun } from "./get-run.js";
import { isFinished, type Run } from "./run.js";

/**
 * The `acknowledge` job: right after a run is queued, the 👀 reaction on the comment
 * that asked and the status comment. A job of its own so feedback never waits for a
 * free worker slot, and is retried if GitHub is briefly unavailable.
 */
export function handleAcknowledgeJob(deps: {
  pool: pg.Pool;
  github: GitHubApp;
  /** The run's page, linked from the status comment. */
  runLink?: (runId: number) => string;
}): JobHandler<"acknowledge"> {
  return async ({ runId }) => {
    const run = await getRun(deps.pool, runId);
    if (!run) return;
    const [owner, repo] = run.repository.split("/") as [string, string];
    const octokit = await deps.github.installation(run.installationId);
    const react = async () => {
      if (run.request.reviewLine) {
        await octokit.rest.reactions.createForPullRequestReviewComment({
          owner,
          repo,
          comment_id: run.request.reviewLine.commentId,
          content: "eyes",
        });
      } else if (run.request.commentId) {
        await octokit.rest.reactions.createForIssueComment({
          owner,
          repo,
          comment_id: run.request.commentId,
          content: "eyes",
        });
      } else {
        // Started by a label: the issue itself gets the 👀.
        await octokit.rest.reactions.createForIssue({
          owner,
          repo,
          issue_number: run.threadNumber,
          content: "eyes",
        });
      }
    };
    const comment = async () => {
      // A run that already ended has posted its final comment through its own reporter.
      if (isFinished(run.state) && run.statusCommentId) return;
      await ensureStatusComment({
        pool: deps.pool,
        octokit,
        runId,
        owner,
        repo,
        issueNumber: run.threadNumber,
        appId: deps.github.appId,
        body: renderStatusComment(
          statusViewOf(run, {
            ...(await queuePlace(deps.pool, run)),
            ...(deps.runLink ? { runUrl: deps.runLink(runId) } : {}),
          }),
        ),
      });
    };
    // Side by side: the status comment need not wait for the reaction. Both are safe to
    // repeat, so a failure of either fails the job, which does both again.
    const failed = (await Promise.allSettled([react(), comment()])).find(
      (result) => result.status === "rejected",
    );
    if (failed) throw failed.reason;
  };
}

/** Where a queued run waits: behind the thread's earlier active runs, if any. */
async function queuePlace(pool: pg.Pool, run: Run): Promise<Partial<StatusView>> {
  const { rows } = await pool.query<{ id: number }>(
    `SELECT id::int AS id FROM runs WHERE repository_id = $1 AND thread_number = $2
       AND state IN ('queued', 'running') AND id < $3 ORDER BY id`,
    [run.repositoryId, run.threadNumber, run.id],
  );
  const ahead = rows[0];
  return ahead ? { queuedBehind: { runId: ahead.id, position: rows.length } } : {};
}
