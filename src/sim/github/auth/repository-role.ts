import type { RepositoryRecord, RepositoryRole } from "../records.js";

/**
 * A person's role on a repository: the owner is admin, collaborators have theirs, and
 * anyone may read a public repository. Null: the repository is invisible to them.
 */
export function repositoryRole(
  repository: RepositoryRecord,
  userId: number,
): RepositoryRole | null {
  if (repository.ownerId === userId) return "admin";
  return repository.collaborators.get(userId) ?? (repository.private ? null : "read");
}
