import { actingAs } from "../auth/acting-as.js";
import { repositoryRole } from "../auth/repository-role.js";
import { requireRepositoryAccess } from "../auth/require-repository-access.js";
import { requireRoleOrAuthor } from "../auth/require-role-or-author.js";
import { roleAtLeast } from "../auth/role-at-least.js";
import type { ApiRouter } from "../http/api-router.js";
import { HttpError } from "../http/http-error.js";
import { paginate } from "../http/paginate.js";
import { findIssue } from "../operations/find-issue.js";
import { openIssue } from "../operations/open-issue.js";
import { updateIssue } from "../operations/update-issue.js";
import { renderIssue } from "../render/render-issue.js";
import type { Sim } from "../sim.js";

/**
 * Issues: list (state, labels, since, sort), get, open (with labels when the author may
 * label), edit or close, and add assignees.
 */
export function handleIssues(router: ApiRouter, sim: Sim): void {
  const access = (
    request: {
      actor: Parameters<typeof requireRepositoryAccess>[1];
      params: Record<string, string>;
    },
    level: "read" | "write",
  ) =>
    requireRepositoryAccess(
      sim,
      request.actor,
      request.params.owner ?? "",
      request.params.repo ?? "",
      {
        permission: "issues",
        level,
        role: "read",
      },
    );

  router.operation("issues/get", (request) => {
    const repository = access(request, "read");
    return {
      status: 200,
      body: renderIssue(sim, findIssue(sim, repository, request.params.issue_number ?? "")),
    };
  });

  router.operation("issues/list-for-repo", (request) => {
    const repository = access(request, "read");
    const wantedState = request.query.get("state") ?? "open";
    if (!["open", "closed", "all"].includes(wantedState)) {
      throw new HttpError(422, "Validation Failed", {
        errors: [{ resource: "Issue", field: "state", code: "invalid" }],
      });
    }
    const wantedLabels = (request.query.get("labels") ?? "")
      .split(",")
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean);
    const since = request.query.get("since");
    const sort = request.query.get("sort") ?? "created";
    const ascending = request.query.get("direction") === "asc";
    const issues = [...sim.state.issues.values()].filter((issue) => {
      if (issue.repositoryId !== repository.id) return false;
      if (wantedState !== "all" && issue.state !== wantedState) return false;
      if (since && issue.updatedAt < since) return false;
      const names = issue.labelIds.map((id) =>
        [...repository.labels.values()].find((label) => label.id === id)?.name.toLowerCase(),
      );
      return wantedLabels.every((name) => names.includes(name));
    });
    // Pull requests are issues too, and GitHub lists them here.
    const key = (issue: (typeof issues)[number]) =>
      sort === "updated"
        ? issue.updatedAt
        : `${issue.createdAt}|${String(issue.number).padStart(9, "0")}`;
    issues.sort((a, b) => (ascending ? 1 : -1) * key(a).localeCompare(key(b)));
    const page = paginate(request, issues, sim.urls.api, repository);
    return {
      status: 200,
      body: page.items.map((issue) => renderIssue(sim, issue)),
      headers: page.headers,
    };
  });

  router.operation("issues/create", (request) => {
    const repository = access(request, "write");
    const { user, viaAppId } = actingAs(request.actor);
    const { title, body, labels } = request.body;
    if (typeof title !== "string" && typeof title !== "number") {
      throw new HttpError(422, "Validation Failed", {
        errors: [{ resource: "Issue", code: "missing_field", field: "title" }],
      });
    }
    // Labels need triage; GitHub silently drops them for anyone without it.
    const mayLabel =
      request.actor.type !== "user" || roleAtLeast(repositoryRole(repository, user.id), "triage");
    const issue = openIssue(sim, {
      repository,
      author: user,
      viaAppId,
      title: String(title),
      body: typeof body === "string" ? body : null,
      labels: mayLabel && Array.isArray(labels) ? labels.map((label) => labelName(label)) : [],
    });
    const rendered = renderIssue(sim, issue);
    return { status: 201, body: rendered, headers: { location: String(rendered.url) } };
  });

  router.operation("issues/update", (request) => {
    const repository = access(request, "write");
    const issue = findIssue(sim, repository, request.params.issue_number ?? "");
    requireRoleOrAuthor(request.actor, repository, issue.authorId, "triage");
    const { title, body, state, state_reason } = request.body;
    if (state !== undefined && state !== "open" && state !== "closed") {
      throw new HttpError(422, "Validation Failed", {
        errors: [{ resource: "Issue", code: "invalid", field: "state" }],
      });
    }
    updateIssue(sim, {
      issue,
      actor: actingAs(request.actor).user,
      title: typeof title === "string" ? title : undefined,
      body: typeof body === "string" || body === null ? (body as string | null) : undefined,
      state: state as "open" | "closed" | undefined,
      stateReason: state_reason as "completed" | "not_planned" | null | undefined,
    });
    return { status: 200, body: renderIssue(sim, issue) };
  });

  router.operation("issues/add-assignees", (request) => {
    const repository = access(request, "write");
    const issue = findIssue(sim, repository, request.params.issue_number ?? "");
    const { user } = actingAs(request.actor);
    const wanted = Array.isArray(request.body.assignees) ? request.body.assignees : [];
    // GitHub silently ignores assignees from someone without push access, and people
    // who cannot be assigned: only those with write access or who commented on it.
    const mayAssign =
      request.actor.type !== "user" || roleAtLeast(repositoryRole(repository, user.id), "write");
    const commented = new Set(
      [...sim.state.issueComments.values()]
        .filter((c) => c.repositoryId === repository.id && c.issueNumber === issue.number)
        .map((c) => c.authorId),
    );
    for (const entry of mayAssign ? wanted : []) {
      const login = typeof entry === "string" ? entry : (entry as { login?: unknown })?.login;
      const assignee = typeof login === "string" ? sim.state.userByLogin(login) : undefined;
      if (!assignee || issue.assigneeIds.includes(assignee.id) || issue.assigneeIds.length >= 10)
        continue;
      const role = repositoryRole(repository, assignee.id);
      if (!roleAtLeast(role, "write") && !(role && commented.has(assignee.id))) continue;
      issue.assigneeIds.push(assignee.id);
      issue.updatedAt = sim.clock.iso();
    }
    return { status: 201, body: renderIssue(sim, issue) };
  });
}

function labelName(label: unknown): string {
  if (label && typeof label === "object" && "name" in label) return String(label.name);
  return String(label);
}
