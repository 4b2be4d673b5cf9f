import type { Logger } from "pino";
import type { GitHubClient } from "../github/github-client.js";
import { loadRepoConfig, type RepoConfigResult } from "./load-repo-config.js";

/**
 * The repository's `.github/ship.yml`. When GitHub cannot be asked (5xx, network), the
 * answer is a problem, not Ship's defaults: the file may restrict who can start runs
 * (`permission`, `allow`), so not knowing it must not let anyone in.
 */
export async function readRepoConfig(
  octokit: GitHubClient,
  repository: { owner: string; name: string },
  log: Logger,
): Promise<RepoConfigResult> {
  try {
    return await loadRepoConfig(octokit, repository.owner, repository.name);
  } catch (error) {
    log.warn({ err: error, repository }, "could not read .github/ship.yml");
    return {
      ok: false,
      problem:
        "GitHub did not let Ship read `.github/ship.yml` just now (it may be busy); please ask again in a minute.",
    };
  }
}
