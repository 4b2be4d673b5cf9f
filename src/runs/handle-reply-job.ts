import type { GitHubApp } from "../github/create-github-app.js";
import type { JobHandler } from "../worker/job-handler.js";

/** The `reply` job: posts a short answer on a thread as Ship. */
export function handleReplyJob(deps: { github: GitHubApp }): JobHandler<"reply"> {
  return async ({ installationId, owner, repo, issueNumber, body }) => {
    const octokit = await deps.github.installation(installationId);
    await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
  };
}
