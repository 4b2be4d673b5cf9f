import type { IssueCommentRecord, UserRecord } from "../records.js";
import { renderIssue } from "../render/render-issue.js";
import { renderIssueComment } from "../render/render-issue-comment.js";
import type { Sim } from "../sim.js";
import { emitRepositoryEvent } from "../webhooks/emit-repository-event.js";

/** Edits a comment's body and sends `issue_comment.edited` with `changes.body.from`. */
export function updateIssueComment(
  sim: Sim,
  params: { comment: IssueCommentRecord; body: string; actor: UserRecord },
): IssueCommentRecord {
  const { comment, actor } = params;
  const repository = sim.state.repository(comment.repositoryId);
  const issue = sim.state.issue(repository.id, comment.issueNumber);
  const previous = comment.body;
  if (previous === params.body) return comment;
  comment.body = params.body;
  comment.updatedAt = sim.clock.iso();
  if (issue) {
    emitRepositoryEvent(sim, {
      event: "issue_comment",
      action: "edited",
      repository,
      sender: actor,
      fields: (example) => ({
        changes: { body: { from: previous } },
        issue: renderIssue(sim, issue, example.issue as Record<string, unknown>),
        comment: renderIssueComment(sim, comment, example.comment as Record<string, unknown>),
      }),
    });
  }
  return comment;
}
