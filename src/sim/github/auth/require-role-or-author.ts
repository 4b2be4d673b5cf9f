import { HttpError } from "../http/http-error.js";
import type { RepositoryRecord, RepositoryRole } from "../records.js";
import type { Actor } from "./actor.js";
import { repositoryRole } from "./repository-role.js";
import { roleAtLeast } from "./role-at-least.js";

/**
 * For edits GitHub allows to an item's author or to people with a role (a reader may
 * edit their own comment, a triager anyone's labels): a user actor needs one of them.
 * App installations were already checked by permission.
 */
export function requireRoleOrAuthor(
  actor: Actor,
  repository: RepositoryRecord,
  authorId: number,
  role: RepositoryRole,
): void {
  if (actor.type !== "user" || actor.user.id === authorId) return;
  if (roleAtLeast(repositoryRole(repository, actor.user.id), role)) return;
  throw new HttpError(
    403,
    actor.app
      ? "Resource not accessible by integration"
      : "Resource not accessible by personal access token",
  );
}
