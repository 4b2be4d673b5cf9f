import type { Logger } from "pino";
import type { GitHubClient } from "../github/github-client.js";
import { loadRepoConfig, type RepoConfigResult } from "./load-repo-config.js";

/**
 * The repository's `.github/ship.yml`; when GitHub cannot be asked (5xx, network), Ship
 * goes on with its defaults rather than refusing every request.
 */
export async function readRepoConfig(
  octokit: GitHubClient,
  repository: { owner: string; name: string },
  log: Logger,
): Promise<RepoConfigResult> {
  try {
    return await loadRepoConfig(octokit, repository.owner, repository.name);
  } catch (error) {
    log.warn({ err: error, repository }, "could not read .github/ship.yml; using Ship's defaults");
    return { ok: true, config: {} };
  }
}
