import type { IssueCommentRecord, IssueRecord, RepositoryRecord, UserRecord } from "../records.js";
import { renderIssue } from "../render/render-issue.js";
import { renderIssueComment } from "../render/render-issue-comment.js";
import type { Sim } from "../sim.js";
import { emitRepositoryEvent } from "../webhooks/emit-repository-event.js";

/**
 * Comments on an issue or pull request conversation as `author` (through `viaAppId`'s
 * token when set) and sends `issue_comment.created`, whoever the author is: an app
 * also receives its own comments, as on GitHub.
 */
export function createIssueComment(
  sim: Sim,
  params: {
    repository: RepositoryRecord;
    issue: IssueRecord;
    author: UserRecord;
    viaAppId?: number | null;
    body: string;
  },
): IssueCommentRecord {
  const { state } = sim;
  const { repository, issue, author } = params;
  const id = state.nextId("issueComment");
  const now = sim.clock.iso();
  const comment: IssueCommentRecord = {
    id,
    nodeId: state.nodeId("IssueComment", id),
    repositoryId: repository.id,
    issueNumber: issue.number,
    body: params.body,
    authorId: author.id,
    viaAppId: params.viaAppId ?? null,
    createdAt: now,
    updatedAt: now,
  };
  state.issueComments.set(id, comment);
  issue.updatedAt = now;
  emitRepositoryEvent(sim, {
    event: "issue_comment",
    action: "created",
    repository,
    sender: author,
    fields: (example) => ({
      issue: renderIssue(sim, issue, example.issue as Record<string, unknown>),
      comment: renderIssueComment(sim, comment, example.comment as Record<string, unknown>),
    }),
  });
  return comment;
}
