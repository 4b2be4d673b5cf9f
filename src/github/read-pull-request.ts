import type { PullRequestRef } from "../runs/run-request.js";
import type { GitHubClient } from "./github-client.js";

/** The pull request a follow-up is about, as Ship needs it. */
export async function readPullRequest(
  octokit: GitHubClient,
  repository: { owner: string; name: string; fullName: string },
  number: number,
): Promise<PullRequestRef> {
  const { data } = await octokit.rest.pulls.get({
    owner: repository.owner,
    repo: repository.name,
    pull_number: number,
  });
  return {
    number,
    url: data.html_url,
    headRef: data.head.ref,
    baseRef: data.base.ref,
    sameRepository: data.head.repo?.full_name === repository.fullName,
    open: data.state === "open" && !data.merged,
  };
}
