import type { GitHubClient } from "./github-client.js";

/**
 * Opens the run's draft pull request from `head` into `base`, or finds the one already
 * open for that branch (a resumed run must not open a second).
 */
export async function openDraftPullRequest(params: {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  head: string;
  base: string;
  title: string;
  body: string;
  draft: boolean;
}): Promise<{ number: number; url: string }> {
  const { octokit, owner, repo, head, base } = params;
  const existing = await octokit.rest.pulls.list({
    owner,
    repo,
    head: `${owner}:${head}`,
    state: "open",
  });
  const open = existing.data[0];
  if (open) return { number: open.number, url: open.html_url };
  const { data } = await octokit.rest.pulls.create({
    owner,
    repo,
    head,
    base,
    title: params.title,
    body: params.body,
    draft: params.draft,
  });
  return { number: data.number, url: data.html_url };
}
