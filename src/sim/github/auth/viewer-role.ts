import type { RepositoryRecord, RepositoryRole } from "../records.js";
import type { Actor } from "./actor.js";
import { repositoryRole } from "./repository-role.js";

/**
 * The role behind `repository.permissions` in a response: a person's own role, or for an
 * installation what its contents permission amounts to. Undefined: the field is left out.
 */
export function viewerRole(
  actor: Actor,
  repository: RepositoryRecord,
): RepositoryRole | null | undefined {
  if (actor.type === "user") return repositoryRole(repository, actor.user.id);
  if (actor.type === "installation") {
    const contents = actor.token.permissions.contents;
    if (actor.token.permissions.administration === "write") return "admin";
    return contents === "write" ? "write" : "read";
  }
  return undefined;
}
