import { HttpError } from "../http/http-error.js";
import type { IssueRecord, RepositoryRecord } from "../records.js";
import type { Sim } from "../sim.js";
import type { Actor } from "./actor.js";
import { requireRepositoryAccess } from "./require-repository-access.js";

/**
 * Access to an issue's conversation. On a pull request, GitHub accepts either the
 * `issues` or the `pull_requests` permission, so a token with only one still works.
 */
export function requireIssueAccess(
  sim: Sim,
  actor: Actor,
  params: Record<string, string>,
  level: "read" | "write",
  findIssue: (repository: RepositoryRecord) => IssueRecord,
): { repository: RepositoryRecord; issue: IssueRecord } {
  const owner = params.owner ?? "";
  const name = params.repo ?? "";
  const need = { permission: "issues", level, role: "read" } as const;
  try {
    const repository = requireRepositoryAccess(sim, actor, owner, name, need);
    return { repository, issue: findIssue(repository) };
  } catch (error) {
    if (!(error instanceof HttpError) || error.status !== 403) throw error;
    const repository = requireRepositoryAccess(sim, actor, owner, name, {
      ...need,
      permission: "metadata",
      level: "read",
    });
    const issue = findIssue(repository);
    if (!issue.isPullRequest) throw error;
    requireRepositoryAccess(sim, actor, owner, name, { ...need, permission: "pull_requests" });
    return { repository, issue };
  }
}
