import type { GitHubState } from "../github-state.js";

/**
 * GitHub answers every repository route by id as well: `/repositories/42/issues` is
 * `/repos/alice/demo/issues`, and its page links use that form (Octokit's paginate
 * follows them). An unknown id is left alone and ends in a 404.
 */
export function resolveRepositoryPath(state: GitHubState, pathname: string): string {
  const match = /^\/api\/v3\/repositories\/(\d+)(\/.*)?$/.exec(pathname);
  if (!match) return pathname;
  const repository = state.repositories.get(Number(match[1]));
  if (!repository) return pathname;
  return `/api/v3/repos/${state.fullName(repository)}${match[2] ?? ""}`;
}
