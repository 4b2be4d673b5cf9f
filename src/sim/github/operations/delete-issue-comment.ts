import type { IssueCommentRecord, UserRecord } from "../records.js";
import { renderIssue } from "../render/render-issue.js";
import { renderIssueComment } from "../render/render-issue-comment.js";
import type { Sim } from "../sim.js";
import { emitRepositoryEvent } from "../webhooks/emit-repository-event.js";

/** Deletes a comment (and its reactions) and sends `issue_comment.deleted`. */
export function deleteIssueComment(
  sim: Sim,
  params: { comment: IssueCommentRecord; actor: UserRecord },
): void {
  const { comment, actor } = params;
  const { state } = sim;
  const repository = state.repository(comment.repositoryId);
  const issue = state.issue(repository.id, comment.issueNumber);
  // Rendered before deletion: the payload shows the comment as it was.
  const render = (example: Record<string, unknown>) => ({
    issue: issue ? renderIssue(sim, issue, example.issue as Record<string, unknown>) : null,
    comment: renderIssueComment(sim, comment, example.comment as Record<string, unknown>),
  });
  const example = sim.templates.webhookExample("issue_comment");
  const fields = render(example);
  state.issueComments.delete(comment.id);
  for (const [id, reaction] of state.reactions) {
    if (reaction.subject.type === "issue_comment" && reaction.subject.id === comment.id) {
      state.reactions.delete(id);
    }
  }
  emitRepositoryEvent(sim, {
    event: "issue_comment",
    action: "deleted",
    repository,
    sender: actor,
    fields: () => fields,
  });
}
