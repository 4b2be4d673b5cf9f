import type { GitHubApp } from "../github/create-github-app.js";
import { markReadyForReview } from "../github/mark-ready-for-review.js";
import { renderReply } from "../report/render-reply.js";
import { shipCommentMarker } from "../report/status-marker.js";
import type { JobHandler } from "../worker/job-handler.js";

/**
 * The `ready` job: marks a draft pull request ready for review (GraphQL) and says so;
 * one that is ready already is left alone, and the reply says that instead of claiming
 * to have done it.
 */
export function handleReadyJob(deps: { github: GitHubApp }): JobHandler<"ready"> {
  return async ({ installationId, owner, repo, pullNumber, threadNumber }) => {
    const octokit = await deps.github.installation(installationId);
    const { data: pull } = await octokit.rest.pulls.get({ owner, repo, pull_number: pullNumber });
    if (pull.draft) await octokit.graphql(markReadyForReview, { id: pull.node_id });
    await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number: threadNumber,
      body: pull.draft
        ? renderReply({ kind: "ready", pullRequestUrl: pull.html_url })
        : `${shipCommentMarker}\nPR #${pull.number} is already ready for review.`,
    });
  };
}
