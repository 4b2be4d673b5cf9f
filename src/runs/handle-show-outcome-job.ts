import type pg from "pg";
import type { GitHubApp } from "../github/create-github-app.js";
import { setStateLabel } from "../github/set-state-label.js";
import { ensureStatusComment } from "../report/ensure-status-comment.js";
import { renderStatusComment } from "../report/render-status-comment.js";
import { statusViewOf } from "../report/status-view-of.js";
import type { JobHandler } from "../worker/job-handler.js";
import { getRun } from "./get-run.js";

/**
 * The `show-outcome` job: a run that ended while its worker was going away (a deploy)
 * gets its final status comment ("interrupted", with `/ship retry`) and state label
 * from whichever worker takes the job, now or after the restart.
 */
export function handleShowOutcomeJob(deps: {
  pool: pg.Pool;
  github: GitHubApp;
}): JobHandler<"show-outcome"> {
  return async ({ runId }) => {
    const run = await getRun(deps.pool, runId);
    if (!run || run.state === "queued" || run.state === "running") return;
    const [owner, repo] = run.repository.split("/") as [string, string];
    const octokit = await deps.github.installation(run.installationId);
    const body = renderStatusComment(statusViewOf(run));
    const { id, created } = await ensureStatusComment({
      pool: deps.pool,
      octokit,
      runId,
      owner,
      repo,
      issueNumber: run.threadNumber,
      appId: deps.github.appId,
      body,
    });
    if (!created) await octokit.rest.issues.updateComment({ owner, repo, comment_id: id, body });
    const state = run.state === "succeeded" ? "done" : "failed";
    await setStateLabel({ octokit, owner, repo, issueNumber: run.threadNumber, state });
  };
}
