import type { GitHubClient } from "../github/github-client.js";

/** A person's role on a repository, as GitHub names it. */
export type RepositoryRole = "admin" | "maintain" | "write" | "triage" | "read" | "none";

/**
 * The sender's role on the repository from the collaborator-permission API. `role_name`
 * tells maintain and triage apart (the legacy `permission` field folds them into write
 * and read). With `userId`, the answer counts only if `username` is still that person
 * (a login freed by a rename may belong to someone else now): otherwise "none". Throws
 * when GitHub cannot say: callers deny then (fail closed).
 */
export async function readPermission(
  octokit: GitHubClient,
  repository: { owner: string; name: string },
  username: string,
  userId?: number,
): Promise<RepositoryRole> {
  const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({
    owner: repository.owner,
    repo: repository.name,
    username,
    // The webhook waits on this answer and GitHub gives a delivery 10 s: one quick
    // retry, then deny (the reply says so) rather than keep GitHub waiting.
    request: { retries: 1, retryAfter: 1 },
  });
  if (userId !== undefined && data.user?.id !== userId) return "none";
  const role = (data.role_name ?? data.permission) as string;
  const known: RepositoryRole[] = ["admin", "maintain", "write", "triage", "read", "none"];
  return known.includes(role as RepositoryRole) ? (role as RepositoryRole) : "none";
}
