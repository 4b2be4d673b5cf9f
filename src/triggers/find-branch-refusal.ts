import type { GitHubClient } from "../github/github-client.js";
import type { PullRequestRef } from "../runs/run-request.js";
import type { TriggerRepository } from "./trigger.js";

/**
 * Why a task may not push where it would, or undefined when it may. A run pushes as a
 * person (perhaps one who may bypass branch protection), so Ship itself refuses, before
 * any run: a follow-up on an open pull request whose head is the default branch or a
 * protected branch, and a `--branch` naming either; with `newBranch` (a new request's
 * `--branch`, which Ship creates), also one that exists already. A retry's branch may
 * exist: its run pushed it. Protected means classic branch
 * protection or a repository ruleset rule that restricts pushing there (creating,
 * updating, deleting, force-pushing, or only through a pull request); a ruleset covers
 * branches that do not exist yet, by name. A branch GitHub cannot describe is
 * refused too (fail closed). A fork's head is never pushed to (the run starts a branch
 * of its own here), so it is no reason to refuse.
 */
export async function findBranchRefusal(
  octokit: GitHubClient,
  repository: TriggerRepository,
  target: { pullRequest?: PullRequestRef; branch?: string; newBranch?: boolean },
): Promise<string | undefined> {
  const { pullRequest, branch } = target;
  if (pullRequest?.open && pullRequest.sameRepository) {
    const problem = await refusalFor(octokit, repository, pullRequest.headRef);
    if (problem) return `this pull request's head branch ${problem}`;
  }
  if (branch !== undefined) {
    const problem = await refusalFor(octokit, repository, branch, target.newBranch === true);
    if (problem) return `the branch named with \`--branch\` ${problem}`;
  }
  return undefined;
}

/** Ruleset rules that stop (or gate) a push to a branch: Ship refuses when one applies. */
const blockingRules = new Set([
  "creation",
  "update",
  "deletion",
  "non_fast_forward",
  "pull_request",
]);

async function refusalFor(
  octokit: GitHubClient,
  repository: TriggerRepository,
  branch: string,
  mustBeNew = false,
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
    if (data.protected) return `\`${branch}\` is protected`;
    if (mustBeNew) return `\`${branch}\` already exists`;
  } catch (error) {
    // No such branch yet: classic protection names existing branches only, but a
    // ruleset may still cover the name (asked next).
    if ((error as { status?: number }).status !== 404) {
      return `\`${branch}\` could not be checked for protection on GitHub`;
    }
  }
  try {
    // Every active rule that applies to the name (repository and organization
    // rulesets), whether or not the branch exists.
    const rules = await octokit.paginate("GET /repos/{owner}/{repo}/rules/branches/{branch}", {
      owner: repository.owner,
      repo: repository.name,
      branch,
      per_page: 100,
    });
    const blocking = rules.find((rule) => blockingRules.has(rule.type));
    if (blocking) return `\`${branch}\` is protected by a ruleset (\`${blocking.type}\` rule)`;
  } catch (error) {
    // GitHub Enterprise Server without rulesets: no such endpoint, so no rules.
    if ((error as { status?: number }).status === 404) return undefined;
    return `\`${branch}\` could not be checked for rulesets on GitHub`;
  }
  return undefined;
}
