import type { GitHubClient } from "../github/github-client.js";
import { RunError } from "../runs/run-error.js";
import { remoteBranchExists } from "./remote-branch-exists.js";

/**
 * `wanted` if no such branch exists on GitHub yet, else `wanted-2`, `wanted-3`, ...
 * An explicit `--branch` that exists is refused instead: pushing onto someone's
 * branch is not what a new task should do.
 */
export async function chooseFreeBranch(params: {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  wanted: string;
  explicit: boolean;
}): Promise<string> {
  const exists = (branch: string) =>
    remoteBranchExists(params.octokit, { owner: params.owner, repo: params.repo }, branch);
  if (!(await exists(params.wanted))) return params.wanted;
  if (params.explicit) {
    throw new RunError({
      category: "branch",
      message: `The branch \`${params.wanted}\` already exists.`,
      whatToDo: "Name another branch with `--branch`, or leave it out and Ship picks one.",
    });
  }
  for (let suffix = 2; suffix < 100; suffix++) {
    const candidate = `${params.wanted}-${suffix}`;
    if (!(await exists(candidate))) return candidate;
  }
  throw new RunError({
    category: "branch",
    message: `Too many branches named like \`${params.wanted}\`.`,
  });
}
