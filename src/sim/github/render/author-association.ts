import type { RepositoryRecord } from "../records.js";
import type { Sim } from "../sim.js";

/** How GitHub relates an author to a repository in `author_association`. */
export function authorAssociation(
  sim: Sim,
  repository: RepositoryRecord,
  userId: number,
): "OWNER" | "COLLABORATOR" | "CONTRIBUTOR" | "NONE" {
  if (repository.ownerId === userId) return "OWNER";
  if (repository.collaborators.has(userId)) return "COLLABORATOR";
  const authored = [...sim.state.pulls.values()].some(
    (pull) =>
      pull.repositoryId === repository.id &&
      pull.merged &&
      sim.state.issue(repository.id, pull.number)?.authorId === userId,
  );
  return authored ? "CONTRIBUTOR" : "NONE";
}
