import { HttpError } from "../http/http-error.js";
import type { PermissionLevel, RepositoryRecord, RepositoryRole } from "../records.js";
import type { Sim } from "../sim.js";
import type { Actor } from "./actor.js";
import { repositoryRole } from "./repository-role.js";
import { roleAtLeast } from "./role-at-least.js";

/** What an endpoint needs: an app permission for app tokens, a role for people. */
export interface AccessNeed {
  permission: "metadata" | "contents" | "issues" | "pull_requests" | "administration";
  level: "read" | "write";
  role: RepositoryRole;
}

const LEVEL_RANK: Record<PermissionLevel, number> = { read: 1, write: 2, admin: 3 };

/**
 * Finds `owner/name` and checks the actor may do what `need` says, the way GitHub
 * does: a repository the actor cannot see is 404 (private repositories do not leak),
 * one it can see but not change is 403. Installation tokens are limited by their
 * installation, their repositories and their permissions; a user's token by the user's
 * role, and an app's user token by both the role and the app's installation.
 */
export function requireRepositoryAccess(
  sim: Sim,
  actor: Actor,
  owner: string,
  name: string,
  need: AccessNeed,
): RepositoryRecord {
  const repository = sim.state.repositoryByName(owner, name);
  const notFound = new HttpError(404, "Not Found");
  if (!repository) throw notFound;
  const integration = new HttpError(403, "Resource not accessible by integration");
  const isRead = need.level === "read" && need.role === "read";
  const hasLevel = (granted: PermissionLevel | undefined) =>
    need.permission === "metadata" && need.level === "read"
      ? true
      : granted !== undefined && LEVEL_RANK[granted] >= LEVEL_RANK[need.level];

  switch (actor.type) {
    case "anonymous":
      if (repository.private) throw notFound;
      if (!isRead) throw new HttpError(401, "Requires authentication");
      return repository;
    case "app":
      if (repository.private) throw notFound;
      if (!isRead) throw integration;
      return repository;
    case "installation": {
      const { installation, token } = actor;
      const reaches =
        sim.state.installationReaches(installation, repository) &&
        (token.repositoryIds === null || token.repositoryIds.includes(repository.id));
      if (!reaches) {
        if (repository.private) throw notFound;
        if (!isRead) throw integration;
        return repository;
      }
      if (!hasLevel(token.permissions[need.permission])) throw integration;
      return repository;
    }
    case "user": {
      const role = repositoryRole(repository, actor.user.id);
      if (role === null) throw notFound;
      if (actor.app) {
        const installation = sim.state
          .installationsFor(repository)
          .find((candidate) => candidate.appId === actor.app?.id);
        if (!installation) {
          if (repository.private) throw notFound;
          if (!isRead) throw integration;
          return repository;
        }
        if (!hasLevel(installation.permissions[need.permission])) throw integration;
        if (!roleAtLeast(role, need.role)) throw integration;
        return repository;
      }
      if (!roleAtLeast(role, need.role)) {
        throw new HttpError(403, "Resource not accessible by personal access token");
      }
      return repository;
    }
  }
}
