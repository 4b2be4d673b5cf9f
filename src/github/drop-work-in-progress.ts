import type { GitHubClient } from "./github-client.js";

/**
 * Gives a pull request its final title once Ship's run is done: `opened` ("[WIP] …")
 * becomes `final`. A title someone changed meanwhile is theirs and is left alone, and
 * one already final costs no edit, so a retry changes nothing twice.
 */
export async function dropWorkInProgress(params: {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  pullNumber: number;
  opened: string;
  final: string;
}): Promise<boolean> {
  const { octokit, owner, repo, pullNumber } = params;
  const { data: pull } = await octokit.rest.pulls.get({ owner, repo, pull_number: pullNumber });
  if (pull.title !== params.opened || params.opened === params.final) return false;
  await octokit.rest.pulls.update({ owner, repo, pull_number: pullNumber, title: params.final });
  return true;
}
