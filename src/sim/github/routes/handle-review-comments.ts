import { actingAs } from "../auth/acting-as.js";
import type { Actor } from "../auth/actor.js";
import { requireRepositoryAccess } from "../auth/require-repository-access.js";
import type { ApiRouter } from "../http/api-router.js";
import { HttpError } from "../http/http-error.js";
import { paginate } from "../http/paginate.js";
import { createReviewComment } from "../operations/create-review-comment.js";
import { refreshPullRequest } from "../operations/refresh-pull-request.js";
import type { RepositoryRecord } from "../records.js";
import { renderReviewComment } from "../render/render-review-comment.js";
import type { Sim } from "../sim.js";

/**
 * Review comments (comments on diff lines): list a pull request's, get one, comment on
 * a line, and reply in a thread.
 */
export function handleReviewComments(router: ApiRouter, sim: Sim): void {
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

  router.operation("pulls/list-review-comments", (request) => {
    const repository = access(request.actor, request.params, "read");
    const pull = findPull(repository, request.params.pull_number);
    const comments = [...state.reviewComments.values()].filter(
      (comment) => comment.repositoryId === repository.id && comment.pullNumber === pull.number,
    );
    const page = paginate(request, comments, sim.urls.api, repository);
    return {
      status: 200,
      body: page.items.map((comment) => renderReviewComment(sim, comment)),
      headers: page.headers,
    };
  });

  router.operation("pulls/get-review-comment", ({ actor, params }) => {
    const repository = access(actor, params, "read");
    const comment = state.reviewComments.get(Number(params.comment_id));
    if (!comment || comment.repositoryId !== repository.id) throw new HttpError(404, "Not Found");
    return { status: 200, body: renderReviewComment(sim, comment) };
  });

  router.operation("pulls/create-review-comment", async ({ actor, params, body }) => {
    const repository = access(actor, params, "write");
    const pull = findPull(repository, params.pull_number);
    await refreshPullRequest(sim, pull);
    const { user, viaAppId } = actingAs(actor);
    const inReplyTo =
      body.in_reply_to === undefined
        ? undefined
        : state.reviewComments.get(Number(body.in_reply_to));
    if (body.in_reply_to !== undefined && (!inReplyTo || inReplyTo.pullNumber !== pull.number)) {
      throw new HttpError(404, "Not Found");
    }
    const comment = await createReviewComment(sim, {
      repository,
      pull,
      author: user,
      viaAppId,
      body: typeof body.body === "string" ? body.body : "",
      inReplyTo,
      path: typeof body.path === "string" ? body.path : undefined,
      line: typeof body.line === "number" ? body.line : undefined,
      side: body.side === "LEFT" ? "LEFT" : "RIGHT",
      startLine: typeof body.start_line === "number" ? body.start_line : null,
      commitId: typeof body.commit_id === "string" ? body.commit_id : undefined,
    });
    const rendered = renderReviewComment(sim, comment);
    return { status: 201, body: rendered, headers: { location: String(rendered.url) } };
  });

  router.operation("pulls/create-reply-for-review-comment", async ({ actor, params, body }) => {
    const repository = access(actor, params, "write");
    const pull = findPull(repository, params.pull_number);
    const inReplyTo = state.reviewComments.get(Number(params.comment_id));
    if (
      !inReplyTo ||
      inReplyTo.repositoryId !== repository.id ||
      inReplyTo.pullNumber !== pull.number
    ) {
      throw new HttpError(404, "Not Found");
    }
    const { user, viaAppId } = actingAs(actor);
    const comment = await createReviewComment(sim, {
      repository,
      pull,
      author: user,
      viaAppId,
      body: typeof body.body === "string" ? body.body : "",
      inReplyTo,
    });
    const rendered = renderReviewComment(sim, comment);
    return { status: 201, body: rendered, headers: { location: String(rendered.url) } };
  });
}
