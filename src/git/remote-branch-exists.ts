import type { GitHubClient } from "../github/github-client.js";

/** True when `branch` exists in the repository on GitHub. */
export async function remoteBranchExists(
  octokit: GitHubClient,
  repository: { owner: string; repo: string },
  branch: string,
): Promise<boolean> {
  try {
    await octokit.rest.git.getRef({ ...repository, ref: `heads/${branch}` });
    return true;
  } catch (error) {
    if ((error as { status?: number }).status === 404) return false;
    throw error;
  }
}
