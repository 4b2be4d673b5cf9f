import type { GitHubClient } from "../github/github-client.js";
import type { Run } from "../runs/run.js";
import { findBranchRefusal } from "./find-branch-refusal.js";
import type { TriggerRepository } from "./trigger.js";

/**
 * Why a retry of `run` may not push where it would, or undefined when it may: the same
 * check as for a new request (`findBranchRefusal`), on the stored request's pull
 * request and `--branch`, against the repository's protection and rulesets as they are
 * now (a ruleset added since the first run counts). `repository` is read from GitHub by
 * the run's repository id when not given (its default branch may have changed too).
 */
export async function findRunBranchRefusal(
  octokit: GitHubClient,
  run: Pick<Run, "repositoryId" | "request">,
  repository?: TriggerRepository,
): Promise<string | undefined> {
  let where = repository;
  if (!where) {
    try {
      const { data } = await octokit.request("GET /repositories/{repository_id}", {
        repository_id: run.repositoryId,
      });
      where = {
        id: data.id,
        owner: data.owner.login,
        name: data.name,
        fullName: data.full_name,
        defaultBranch: data.default_branch,
      };
    } catch {
      return "the repository's branches could not be checked for protection on GitHub";
    }
  }
  const { pullRequest, options } = run.request;
  return findBranchRefusal(octokit, where, {
    ...(pullRequest ? { pullRequest } : {}),
    ...(options.branch !== undefined ? { branch: options.branch } : {}),
  });
}
