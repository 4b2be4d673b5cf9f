import { actingAs } from "../auth/acting-as.js";
import type { Actor } from "../auth/actor.js";
import { repositoryRole } from "../auth/repository-role.js";
import { requireRepositoryAccess } from "../auth/require-repository-access.js";
import { requireRoleOrAuthor } from "../auth/require-role-or-author.js";
import { roleAtLeast } from "../auth/role-at-least.js";
import { readRefs } from "../git/read-refs.js";
import type { ApiRouter } from "../http/api-router.js";
import { HttpError } from "../http/http-error.js";
import { paginate } from "../http/paginate.js";
import { createPullRequest } from "../operations/create-pull-request.js";
import { refreshPullRequest } from "../operations/refresh-pull-request.js";
import { updateIssue } from "../operations/update-issue.js";
import type { PullRequestRecord, RepositoryRecord } from "../records.js";
import { renderPullRequest } from "../render/render-pull-request.js";
import type { Sim } from "../sim.js";

/**
 * Pull requests: open (draft or not), get, list (state, head, base filters), update
 * (title, body, state, base) and request reviewers. Head and base shas are read from
 * git on every read.
 */
export function handlePulls(router: ApiRouter, sim: Sim): void {
  const { state } = sim;
  const access = (actor: Actor, params: Record<string, string>, level: "read" | "write") =>
    requireRepositoryAccess(sim, actor, params.owner ?? "", params.repo ?? "", {
      permission: "pull_requests",
      level,
      role: "read",
    });
  const findPull = (repository: RepositoryRecord, number: string | undefined) => {
    const pull = state.pull(repository.id, Number(number));
    if (!pull) throw new HttpError(404, "Not Found");
    return pull;
  };
  const missing = (field: string) =>
    new HttpError(422, "Validation Failed", {
      errors: [{ resource: "PullRequest", code: "missing_field", field }],
    });

  router.operation("pulls/create", async ({ actor, params, body }) => {
    const repository = access(actor, params, "write");
    const { user, viaAppId } = actingAs(actor);
    if (typeof body.head !== "string" || body.head === "") throw missing("head");
    if (typeof body.base !== "string" || body.base === "") throw missing("base");
    const pull = await createPullRequest(sim, {
      repository,
      author: user,
      viaAppId,
      title: typeof body.title === "string" ? body.title : undefined,
      body: typeof body.body === "string" ? body.body : null,
      head: body.head,
      headRepo: typeof body.head_repo === "string" ? body.head_repo : undefined,
      base: body.base,
      draft: body.draft === true,
      maintainerCanModify:
        typeof body.maintainer_can_modify === "boolean" ? body.maintainer_can_modify : undefined,
      // A person opens pull requests only from a branch they can push to: a reader of
      // the repository needs their own fork.
      checkHead: (headRepository) => {
        if (actor.type !== "user") return;
        if (roleAtLeast(repositoryRole(headRepository, user.id), "write")) return;
        throw new HttpError(
          403,
          actor.app
            ? "Resource not accessible by integration"
            : "Resource not accessible by personal access token",
        );
      },
    });
    const rendered = renderPullRequest(sim, pull);
    return { status: 201, body: rendered, headers: { location: String(rendered.url) } };
  });

  router.operation("pulls/get", async ({ actor, params }) => {
    const repository = access(actor, params, "read");
    const pull = findPull(repository, params.pull_number);
    await refreshPullRequest(sim, pull);
    return { status: 200, body: renderPullRequest(sim, pull) };
  });

  router.operation("pulls/list", async (request) => {
    const repository = access(request.actor, request.params, "read");
    const wantedState = request.query.get("state") ?? "open";
    if (!["open", "closed", "all"].includes(wantedState)) {
      throw new HttpError(422, "Validation Failed", {
        errors: [{ resource: "Search", field: "state", code: "invalid" }],
      });
    }
    const head = request.query.get("head");
    const base = request.query.get("base");
    const direction = request.query.get("direction") ?? "desc";
    const pulls: PullRequestRecord[] = [];
    for (const pull of state.pulls.values()) {
      if (pull.repositoryId !== repository.id) continue;
      const issue = state.issue(repository.id, pull.number);
      if (!issue || (wantedState !== "all" && issue.state !== wantedState)) continue;
      if (base && pull.base.ref !== base) continue;
      if (head) {
        // GitHub wants `user:ref`; a bare ref is taken as the base repository owner's.
        const colon = head.indexOf(":");
        const owner = colon < 0 ? state.user(repository.ownerId).login : head.slice(0, colon);
        const ref = colon < 0 ? head : head.slice(colon + 1);
        const headOwner = state.user(state.repository(pull.head.repositoryId).ownerId).login;
        if (headOwner.toLowerCase() !== owner.toLowerCase() || pull.head.ref !== ref) continue;
      }
      pulls.push(pull);
    }
    pulls.sort((a, b) => (direction === "asc" ? a.number - b.number : b.number - a.number));
    const page = paginate(request, pulls, sim.urls.api, repository);
    await Promise.all(page.items.map((pull) => refreshPullRequest(sim, pull)));
    // The list shows `pull-request-simple`: no merge or diff statistics.
    const template = sim.templates.example("pull-request-simple-items");
    return {
      status: 200,
      body: page.items.map((pull) => renderPullRequest(sim, pull, template)),
      headers: page.headers,
    };
  });

  router.operation("pulls/update", async ({ actor, params, body }) => {
    const repository = access(actor, params, "write");
    const pull = findPull(repository, params.pull_number);
    const issue = state.issue(repository.id, pull.number);
    if (!issue) throw new HttpError(404, "Not Found");
    requireRoleOrAuthor(actor, repository, issue.authorId, "write");
    if (body.state !== undefined && body.state !== "open" && body.state !== "closed") {
      throw new HttpError(422, "Validation Failed", {
        errors: [{ resource: "PullRequest", code: "invalid", field: "state" }],
      });
    }
    if (typeof body.base === "string" && body.base !== pull.base.ref) {
      const refs = await readRefs(repository.gitDir);
      const sha = refs.get(`refs/heads/${body.base}`);
      if (!sha) {
        throw new HttpError(422, "Validation Failed", {
          errors: [{ resource: "PullRequest", code: "invalid", field: "base" }],
        });
      }
      pull.base = { ref: body.base, sha };
    }
    if (typeof body.maintainer_can_modify === "boolean") {
      pull.maintainerCanModify = body.maintainer_can_modify;
    }
    updateIssue(sim, {
      issue,
      actor: actingAs(actor).user,
      title: typeof body.title === "string" ? body.title : undefined,
      body: typeof body.body === "string" ? body.body : undefined,
      state: body.state as "open" | "closed" | undefined,
    });
    await refreshPullRequest(sim, pull);
    return { status: 200, body: renderPullRequest(sim, pull) };
  });

  router.operation("pulls/request-reviewers", async ({ actor, params, body }) => {
    const repository = requireRepositoryAccess(sim, actor, params.owner ?? "", params.repo ?? "", {
      permission: "pull_requests",
      level: "write",
      role: "write",
    });
    const pull = findPull(repository, params.pull_number);
    const issue = state.issue(repository.id, pull.number);
    if (!issue) throw new HttpError(404, "Not Found");
    const logins = Array.isArray(body.reviewers) ? body.reviewers : [];
    const reviewers = logins.map((login) =>
      typeof login === "string" ? state.userByLogin(login) : undefined,
    );
    // GitHub's own words for the two refusals.
    if (reviewers.some((reviewer) => reviewer?.id === issue.authorId)) {
      throw new HttpError(422, "Review cannot be requested from pull request author.");
    }
    const collaborator = (id: number) =>
      repository.ownerId === id || repository.collaborators.has(id);
    if (reviewers.some((reviewer) => !reviewer || !collaborator(reviewer.id))) {
      throw new HttpError(
        422,
        `Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the ${state.fullName(repository)} repository.`,
      );
    }
    for (const reviewer of reviewers) {
      if (reviewer && !pull.requestedReviewerIds.includes(reviewer.id)) {
        pull.requestedReviewerIds.push(reviewer.id);
        issue.updatedAt = sim.clock.iso();
      }
    }
    await refreshPullRequest(sim, pull);
    const template = sim.templates.example("pull-request-review-request");
    return { status: 201, body: renderPullRequest(sim, pull, template) };
  });
}
