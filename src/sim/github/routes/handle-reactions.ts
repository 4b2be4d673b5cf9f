import { actingAs } from "../auth/acting-as.js";
import type { Actor } from "../auth/actor.js";
import { requireIssueAccess } from "../auth/require-issue-access.js";
import { requireRepositoryAccess } from "../auth/require-repository-access.js";
import type { ApiRequest, ApiRouter } from "../http/api-router.js";
import { HttpError } from "../http/http-error.js";
import { paginate } from "../http/paginate.js";
import { addReaction } from "../operations/add-reaction.js";
import { findIssue } from "../operations/find-issue.js";
import type { ReactionRecord } from "../records.js";
import { renderReaction } from "../render/render-reaction.js";
import type { Sim } from "../sim.js";

/** Reactions on issues, issue comments and review comments: create and list. */
export function handleReactions(router: ApiRouter, sim: Sim): void {
  const { state } = sim;

  /** The reaction subject named by the path, after checking access to it. */
  const subjectOf = (
    kind: ReactionRecord["subject"]["type"],
    actor: Actor,
    params: Record<string, string>,
    level: "read" | "write",
  ): ReactionRecord["subject"] => {
    if (kind === "review_comment") {
      const repository = requireRepositoryAccess(
        sim,
        actor,
        params.owner ?? "",
        params.repo ?? "",
        {
          permission: "pull_requests",
          level,
          role: "read",
        },
      );
      const comment = state.reviewComments.get(Number(params.comment_id));
      if (!comment || comment.repositoryId !== repository.id) throw new HttpError(404, "Not Found");
      return { type: kind, id: comment.id };
    }
    if (kind === "issue_comment") {
      let id = 0;
      requireIssueAccess(sim, actor, params, level, (repository) => {
        const comment = state.issueComments.get(Number(params.comment_id));
        if (!comment || comment.repositoryId !== repository.id)
          throw new HttpError(404, "Not Found");
        id = comment.id;
        return findIssue(sim, repository, comment.issueNumber);
      });
      return { type: kind, id };
    }
    const { issue } = requireIssueAccess(sim, actor, params, level, (repository) =>
      findIssue(sim, repository, params.issue_number ?? ""),
    );
    return { type: kind, id: issue.id };
  };

  const create = (kind: ReactionRecord["subject"]["type"]) => (request: ApiRequest) => {
    const subject = subjectOf(kind, request.actor, request.params, "write");
    const { reaction, created } = addReaction(sim, {
      subject,
      content: request.body.content,
      user: actingAs(request.actor).user,
    });
    return { status: created ? 201 : 200, body: renderReaction(sim, reaction) };
  };

  const list = (kind: ReactionRecord["subject"]["type"]) => (request: ApiRequest) => {
    const subject = subjectOf(kind, request.actor, request.params, "read");
    const content = request.query.get("content");
    const reactions = [...state.reactions.values()].filter(
      (reaction) =>
        reaction.subject.type === subject.type &&
        reaction.subject.id === subject.id &&
        (!content || reaction.content === content),
    );
    // Access was checked above, so the repository of the path exists.
    const repository = state.repositoryByName(
      request.params.owner ?? "",
      request.params.repo ?? "",
    );
    const page = paginate(request, reactions, sim.urls.api, repository);
    return {
      status: 200,
      body: page.items.map((reaction) => renderReaction(sim, reaction)),
      headers: page.headers,
    };
  };

  router.operation("reactions/create-for-issue-comment", create("issue_comment"));
  router.operation("reactions/list-for-issue-comment", list("issue_comment"));
  router.operation("reactions/create-for-pull-request-review-comment", create("review_comment"));
  router.operation("reactions/list-for-pull-request-review-comment", list("review_comment"));
  router.operation("reactions/create-for-issue", create("issue"));
  router.operation("reactions/list-for-issue", list("issue"));
}
