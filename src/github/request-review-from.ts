import type { GitHubClient } from "./github-client.js";

/** What asking for the requester's review did. */
export type ReviewRequestOutcome = "review_requested" | "assigned" | "already";

/**
 * Hands a pull request a run opened or pushed to back to the person who asked: their
 * review is requested, as Copilot's agent does when it is done. GitHub refuses a review
 * request from a pull request's own author, and when Ship acted as the requester they
 * are the author: then the pull request is assigned to them instead, so it is in their
 * list all the same. A reviewer already requested or an assignee already set is left
 * as is, so a retry asks nothing twice.
 */
export async function requestReviewFrom(params: {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  pullNumber: number;
  requester: string;
}): Promise<ReviewRequestOutcome> {
  const { octokit, owner, repo, pullNumber } = params;
  const { data: pull } = await octokit.rest.pulls.get({ owner, repo, pull_number: pullNumber });
  const requester = params.requester.toLowerCase();
  const isRequester = (user: { login: string } | null | undefined) =>
    user?.login.toLowerCase() === requester;
  if (isRequester(pull.user)) {
    if ((pull.assignees ?? []).some(isRequester)) return "already";
    await octokit.rest.issues.addAssignees({
      owner,
      repo,
      issue_number: pullNumber,
      assignees: [params.requester],
    });
    return "assigned";
  }
  if ((pull.requested_reviewers ?? []).some(isRequester)) return "already";
  await octokit.rest.pulls.requestReviewers({
    owner,
    repo,
    pull_number: pullNumber,
    reviewers: [params.requester],
  });
  return "review_requested";
}
