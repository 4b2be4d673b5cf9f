import type { GitHubClient } from "./github-client.js";

/**
 * Whom a run acts as on GitHub: the client that pushes the branch and opens the pull
 * request, and the identity its commits are authored by. Today that is always the
 * app's bot; with user authorization it becomes the requester or the installer.
 */
export interface ActingIdentity {
  login: string;
  octokit: GitHubClient;
  author: { name: string; email: string };
}
