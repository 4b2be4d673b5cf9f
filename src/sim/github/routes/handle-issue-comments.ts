import { actingAs } from "../auth/acting-as.js";
import type { Actor } from "../auth/actor.js";
import { requireIssueAccess } from "../auth/require-issue-access.js";
import { requireRoleOrAuthor } from "../auth/require-role-or-author.js";
import type { ApiRouter } from "../http/api-router.js";
import { HttpError } from "../http/http-error.js";
import { paginate } from "../http/paginate.js";
import { createIssueComment } from "../operations/create-issue-comment.js";
import { deleteIssueComment } from "../operations/delete-issue-comment.js";
import { findIssue } from "../operations/find-issue.js";
import { updateIssueComment } from "../operations/update-issue-comment.js";
import type { IssueCommentRecord, IssueRecord, RepositoryRecord } from "../records.js";
import { renderIssueComment } from "../render/render-issue-comment.js";
import type { Sim } from "../sim.js";

/** Comments on issues and pull request conversations: list, create, get, edit, delete. */
export function handleIssueComments(router: ApiRouter, sim: Sim): void {
  const { state } = sim;
  const missingBody = () =>
    new HttpError(422, "Validation Failed", {
      errors: [{ resource: "IssueComment", code: "missing_field", field: "body" }],
    });

  /** A comment by id within the repository of the path, with access to its issue. */
  const commentAccess = (
    actor: Actor,
    params: Record<string, string>,
    level: "read" | "write",
  ): { repository: RepositoryRecord; issue: IssueRecord; comment: IssueCommentRecord } => {
    let comment: IssueCommentRecord | undefined;
    const { repository, issue } = requireIssueAccess(sim, actor, params, level, (repository) => {
      comment = state.issueComments.get(Number(params.comment_id));
      if (!comment || comment.repositoryId !== repository.id) throw new HttpError(404, "Not Found");
      return findIssue(sim, repository, comment.issueNumber);
    });
    return { repository, issue, comment: comment as IssueCommentRecord };
  };

  router.operation("issues/list-comments", (request) => {
    const { repository, issue } = requireIssueAccess(
      sim,
      request.actor,
      request.params,
      "read",
      (repo) => findIssue(sim, repo, request.params.issue_number ?? ""),
    );
    const since = request.query.get("since");
    const comments = [...state.issueComments.values()].filter(
      (comment) =>
        comment.repositoryId === repository.id &&
        comment.issueNumber === issue.number &&
        (!since || comment.updatedAt >= since),
    );
    const page = paginate(request, comments, sim.urls.api, repository);
    return {
      status: 200,
      body: page.items.map((comment) => renderIssueComment(sim, comment)),
      headers: page.headers,
    };
  });

  router.operation("issues/create-comment", (request) => {
    const { repository, issue } = requireIssueAccess(
      sim,
      request.actor,
      request.params,
      "write",
      (repo) => findIssue(sim, repo, request.params.issue_number ?? ""),
    );
    const body = request.body.body;
    if (typeof body !== "string" || body === "") throw missingBody();
    const { user, viaAppId } = actingAs(request.actor);
    const comment = createIssueComment(sim, { repository, issue, author: user, viaAppId, body });
    const rendered = renderIssueComment(sim, comment);
    return { status: 201, body: rendered, headers: { location: String(rendered.url) } };
  });

  router.operation("issues/get-comment", ({ actor, params }) => {
    const { comment } = commentAccess(actor, params, "read");
    return { status: 200, body: renderIssueComment(sim, comment) };
  });

  router.operation("issues/update-comment", ({ actor, params, body }) => {
    const { repository, comment } = commentAccess(actor, params, "write");
    requireRoleOrAuthor(actor, repository, comment.authorId, "write");
    if (typeof body.body !== "string" || body.body === "") throw missingBody();
    updateIssueComment(sim, { comment, body: body.body, actor: actingAs(actor).user });
    return { status: 200, body: renderIssueComment(sim, comment) };
  });

  router.operation("issues/delete-comment", ({ actor, params }) => {
    const { repository, comment } = commentAccess(actor, params, "write");
    requireRoleOrAuthor(actor, repository, comment.authorId, "write");
    deleteIssueComment(sim, { comment, actor: actingAs(actor).user });
    return { status: 204 };
  });
}
