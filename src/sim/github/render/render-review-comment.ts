import type { ReviewCommentRecord } from "../records.js";
import type { Sim } from "../sim.js";
import { authorAssociation } from "./author-association.js";
import { renderReactionRollup } from "./render-reaction-rollup.js";
import { renderUser } from "./render-user.js";

/** A pull request review comment (a comment on a diff line) on `template`. */
export function renderReviewComment(
  sim: Sim,
  comment: ReviewCommentRecord,
  template: Record<string, unknown> = sim.templates.example("pull-request-review-comment"),
): Record<string, unknown> {
  const out = structuredClone(template);
  const { state } = sim;
  const repository = state.repository(comment.repositoryId);
  const fullName = state.fullName(repository);
  const url = `${sim.urls.api}/repos/${fullName}/pulls/comments/${comment.id}`;
  const htmlUrl = `${sim.urls.web}/${fullName}/pull/${comment.pullNumber}#discussion_r${comment.id}`;
  const pullUrl = `${sim.urls.api}/repos/${fullName}/pulls/${comment.pullNumber}`;
  Object.assign(out, {
    url,
    pull_request_review_id: comment.reviewId,
    id: comment.id,
    node_id: comment.nodeId,
    diff_hunk: comment.diffHunk,
    path: comment.path,
    position: comment.line === null ? null : 1,
    original_position: comment.line === null ? null : 1,
    commit_id: comment.commitId,
    original_commit_id: comment.originalCommitId,
    user: renderUser(sim, state.user(comment.authorId), template.user as Record<string, unknown>),
    body: comment.body,
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    html_url: htmlUrl,
    pull_request_url: pullUrl,
    author_association: authorAssociation(sim, repository, comment.authorId),
    _links: { self: { href: url }, html: { href: htmlUrl }, pull_request: { href: pullUrl } },
    start_line: comment.startLine,
    original_start_line: comment.startLine,
    start_side: comment.startSide,
    line: comment.line,
    original_line: comment.line,
    side: comment.side,
    subject_type: comment.line === null ? "file" : "line",
  });
  if (comment.inReplyToId === null) delete out.in_reply_to_id;
  else out.in_reply_to_id = comment.inReplyToId;
  if ("reactions" in out) {
    out.reactions = renderReactionRollup(sim, { type: "review_comment", id: comment.id }, url);
  }
  return out;
}
