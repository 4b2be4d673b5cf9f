import type { IssueCommentRecord } from "../records.js";
import type { Sim } from "../sim.js";
import { authorAssociation } from "./author-association.js";
import { renderApp } from "./render-app.js";
import { renderReactionRollup } from "./render-reaction-rollup.js";
import { renderUser } from "./render-user.js";

/** An issue (or pull request conversation) comment on `template`. */
export function renderIssueComment(
  sim: Sim,
  comment: IssueCommentRecord,
  template: Record<string, unknown> = sim.templates.example("issue-comment"),
): Record<string, unknown> {
  const out = structuredClone(template);
  const { state } = sim;
  const repository = state.repository(comment.repositoryId);
  const fullName = state.fullName(repository);
  const issue = state.issue(repository.id, comment.issueNumber);
  const url = `${sim.urls.api}/repos/${fullName}/issues/comments/${comment.id}`;
  const kind = issue?.isPullRequest ? "pull" : "issues";
  Object.assign(out, {
    id: comment.id,
    node_id: comment.nodeId,
    url,
    html_url: `${sim.urls.web}/${fullName}/${kind}/${comment.issueNumber}#issuecomment-${comment.id}`,
    issue_url: `${sim.urls.api}/repos/${fullName}/issues/${comment.issueNumber}`,
    body: comment.body,
    user: renderUser(sim, state.user(comment.authorId), template.user as Record<string, unknown>),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    author_association: authorAssociation(sim, repository, comment.authorId),
    performed_via_github_app:
      comment.viaAppId === null ? null : renderApp(sim, state.app(comment.viaAppId)),
  });
  if ("pin" in out) out.pin = null;
  if ("minimized" in out) out.minimized = null;
  if ("reactions" in out) {
    out.reactions = renderReactionRollup(sim, { type: "issue_comment", id: comment.id }, url);
  }
  return out;
}
