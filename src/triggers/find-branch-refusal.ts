import type { GitHubClient } from "../github/github-client.js";
import type { PullRequestRef } from "../runs/run-request.js";
import type { TriggerRepository } from "./trigger.js";

/**
 * Why a task may not push where it would, or undefined when it may. A run pushes as a
 * person (perhaps one who may bypass branch protection), so Ship itself refuses, before
 * any run: a follow-up on an open pull request whose head is the default branch or a
 * protected branch, and a `--branch` naming either. A branch GitHub cannot describe is
 * refused too (fail closed). A fork's head is never pushed to (the run starts a branch
 * of its own here), so it is no reason to refuse.
 */
export async function findBranchRefusal(
  octokit: GitHubClient,
  repository: TriggerRepository,
  target: { pullRequest?: PullRequestRef; branch?: string },
): Promise<string | undefined> {
  const { pullRequest, branch } = target;
  if (pullRequest?.open && pullRequest.sameRepository) {
    const problem = await refusalFor(octokit, repository, pullRequest.headRef);
    if (problem) return `this pull request's head branch ${problem}`;
  }
  if (branch !== undefined) {
    const problem = await refusalFor(octokit, repository, branch);
    if (problem) return `the branch named with \`--branch\` ${problem}`;
  }
  return undefined;
}

async function refusalFor(
  octokit: GitHubClient,
  repository: TriggerRepository,
  branch: string,
): Promise<string | undefined> {
  if (branch === repository.defaultBranch) {
    return `\`${branch}\` is the repository's default branch`;
  }
  try {
    const { data } = await octokit.rest.repos.getBranch({
      owner: repository.owner,
      repo: repository.name,
      branch,
    });
    return data.protected ? `\`${branch}\` is protected` : undefined;
  } catch (error) {
    // No such branch: a new one, nothing to protect yet.
    if ((error as { status?: number }).status === 404) return undefined;
    return `\`${branch}\` could not be checked for protection on GitHub`;
  }
}
