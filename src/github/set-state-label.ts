import type { GitHubClient } from "./github-client.js";

/** The labels that show a thread's run state, by state. */
export const stateLabels = {
  running: "ship: running",
  done: "ship: done",
  failed: "ship: failed",
} as const;

/**
 * Puts the thread's state label on (GitHub creates a missing label when it is added)
 * and takes the other state labels off, so a filter like `label:"ship: failed"` finds
 * exactly the threads whose last run failed.
 */
export async function setStateLabel(params: {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  issueNumber: number;
  state: keyof typeof stateLabels;
}): Promise<void> {
  const { octokit, owner, repo, issueNumber } = params;
  for (const [state, name] of Object.entries(stateLabels)) {
    if (state === params.state) continue;
    await octokit.rest.issues
      .removeLabel({ owner, repo, issue_number: issueNumber, name })
      .catch((error) => {
        if ((error as { status?: number }).status !== 404) throw error;
      });
  }
  await octokit.rest.issues.addLabels({
    owner,
    repo,
    issue_number: issueNumber,
    labels: [stateLabels[params.state]],
  });
}
