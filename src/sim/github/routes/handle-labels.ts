import { actingAs } from "../auth/acting-as.js";
import { requireIssueAccess } from "../auth/require-issue-access.js";
import { requireRepositoryAccess } from "../auth/require-repository-access.js";
import { requireRoleOrAuthor } from "../auth/require-role-or-author.js";
import type { ApiRequest, ApiRouter } from "../http/api-router.js";
import { HttpError } from "../http/http-error.js";
import { paginate } from "../http/paginate.js";
import { addLabels } from "../operations/add-labels.js";
import { findIssue } from "../operations/find-issue.js";
import { findOrCreateLabel } from "../operations/find-or-create-label.js";
import { removeLabel } from "../operations/remove-label.js";
import type { RepositoryRecord } from "../records.js";
import { renderLabel } from "../render/render-label.js";
import type { Sim } from "../sim.js";

/**
 * Labels: on an issue or pull request (add, remove, list; adding and removing needs
 * triage) and on the repository (list and get; create, update and delete need write).
 */
export function handleLabels(router: ApiRouter, sim: Sim): void {
  const issueFor = (request: ApiRequest, level: "read" | "write") => {
    const found = requireIssueAccess(sim, request.actor, request.params, level, (repository) =>
      findIssue(sim, repository, request.params.issue_number ?? ""),
    );
    // -1: no author matches, so only the role counts.
    if (level === "write") requireRoleOrAuthor(request.actor, found.repository, -1, "triage");
    return found;
  };

  router.operation("issues/list-labels-on-issue", (request) => {
    const { repository, issue } = issueFor(request, "read");
    const labels = issue.labelIds.map((id) =>
      [...repository.labels.values()].find((label) => label.id === id),
    );
    return {
      status: 200,
      body: labels.flatMap((label) => (label ? [renderLabel(sim, label)] : [])),
    };
  });

  router.operation("issues/add-labels", (request) => {
    const { repository, issue } = issueFor(request, "write");
    // Accepted as {labels: [...]}, {labels: [{name}]}, or a bare array, as on GitHub.
    const raw = Array.isArray(request.json) ? request.json : request.body.labels;
    if (!Array.isArray(raw) || raw.length === 0) {
      throw new HttpError(422, 'Invalid request.\n\nNo subschema in "anyOf" matched.');
    }
    const names = raw.map((label) =>
      label && typeof label === "object" && "name" in label ? String(label.name) : String(label),
    );
    const labels = addLabels(sim, {
      repository,
      issue,
      names,
      actor: actingAs(request.actor).user,
    });
    return { status: 200, body: labels.map((label) => renderLabel(sim, label)) };
  });

  router.operation("issues/remove-label", (request) => {
    const { repository, issue } = issueFor(request, "write");
    const labels = removeLabel(sim, {
      repository,
      issue,
      name: request.params.name ?? "",
      actor: actingAs(request.actor).user,
    });
    return { status: 200, body: labels.map((label) => renderLabel(sim, label)) };
  });

  router.operation("issues/create-label", ({ actor, params, body }) => {
    const repository = requireRepositoryAccess(sim, actor, params.owner ?? "", params.repo ?? "", {
      permission: "issues",
      level: "write",
      role: "write",
    });
    const name = body.name;
    if (typeof name !== "string" || name === "") {
      throw new HttpError(422, "Validation Failed", {
        errors: [{ resource: "Label", code: "missing_field", field: "name" }],
      });
    }
    if (repository.labels.has(name.toLowerCase())) {
      throw new HttpError(422, "Validation Failed", {
        errors: [{ resource: "Label", code: "already_exists", field: "name" }],
      });
    }
    const color = typeof body.color === "string" ? body.color.replace(/^#/, "") : undefined;
    if (color !== undefined && !/^[0-9a-fA-F]{6}$/.test(color)) {
      throw new HttpError(422, "Validation Failed", {
        errors: [{ resource: "Label", code: "invalid", field: "color" }],
      });
    }
    const label = findOrCreateLabel(sim, repository, name, {
      color: color?.toLowerCase(),
      description: typeof body.description === "string" ? body.description : null,
    });
    const rendered = renderLabel(sim, label);
    return { status: 201, body: rendered, headers: { location: String(rendered.url) } };
  });

  const repositoryFor = (request: ApiRequest, level: "read" | "write") =>
    requireRepositoryAccess(
      sim,
      request.actor,
      request.params.owner ?? "",
      request.params.repo ?? "",
      {
        permission: level === "read" ? "metadata" : "issues",
        level,
        role: level === "read" ? "read" : "write",
      },
    );
  const existing = (repository: RepositoryRecord, name: string | undefined) => {
    const label = repository.labels.get((name ?? "").toLowerCase());
    if (!label) throw new HttpError(404, "Not Found");
    return label;
  };

  router.operation("issues/list-labels-for-repo", (request) => {
    const repository = repositoryFor(request, "read");
    const page = paginate(request, [...repository.labels.values()], sim.urls.api, repository);
    return {
      status: 200,
      body: page.items.map((label) => renderLabel(sim, label)),
      headers: page.headers,
    };
  });

  router.operation("issues/update-label", (request) => {
    const repository = repositoryFor(request, "write");
    const label = existing(repository, request.params.name);
    const { new_name: newName, color, description } = request.body;
    if (color !== undefined && (typeof color !== "string" || !/^#?[0-9a-fA-F]{6}$/.test(color))) {
      throw new HttpError(422, "Validation Failed", {
        errors: [{ resource: "Label", code: "invalid", field: "color" }],
      });
    }
    if (typeof newName === "string" && newName !== "" && newName !== label.name) {
      const clash = repository.labels.get(newName.toLowerCase());
      if (clash && clash !== label) {
        throw new HttpError(422, "Validation Failed", {
          errors: [{ resource: "Label", code: "already_exists", field: "name" }],
        });
      }
      repository.labels.delete(label.name.toLowerCase());
      label.name = newName;
      repository.labels.set(newName.toLowerCase(), label);
    }
    // GitHub keeps the color as sent (its case too).
    if (typeof color === "string") label.color = color.replace(/^#/, "");
    if (typeof description === "string" || description === null) label.description = description;
    label.updatedAt = sim.clock.iso();
    return { status: 200, body: renderLabel(sim, label) };
  });

  router.operation("issues/delete-label", (request) => {
    const repository = repositoryFor(request, "write");
    const label = existing(repository, request.params.name);
    repository.labels.delete(label.name.toLowerCase());
    // The label leaves every issue and pull request that had it, without events.
    for (const issue of sim.state.issues.values()) {
      if (issue.repositoryId !== repository.id) continue;
      issue.labelIds = issue.labelIds.filter((id) => id !== label.id);
    }
    return { status: 204 };
  });

  router.operation("issues/get-label", ({ actor, params }) => {
    const repository = requireRepositoryAccess(sim, actor, params.owner ?? "", params.repo ?? "", {
      permission: "metadata",
      level: "read",
      role: "read",
    });
    const label = repository.labels.get((params.name ?? "").toLowerCase());
    if (!label) throw new HttpError(404, "Not Found");
    return {
      status: 200,
      body: renderLabel(sim, label),
      headers: { "last-modified": new Date(label.updatedAt).toUTCString() },
    };
  });
}
