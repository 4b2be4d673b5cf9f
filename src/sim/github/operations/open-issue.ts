import type { IssueRecord, RepositoryRecord, UserRecord } from "../records.js";
import { renderIssue } from "../render/render-issue.js";
import type { Sim } from "../sim.js";
import { emitRepositoryEvent } from "../webhooks/emit-repository-event.js";
import { addLabels } from "./add-labels.js";

/**
 * Opens an issue as `author` and sends `issues.opened`, then `issues.labeled` for each
 * label it was opened with, as GitHub does.
 */
export function openIssue(
  sim: Sim,
  params: {
    repository: RepositoryRecord;
    author: UserRecord;
    viaAppId?: number | null;
    title: string;
    body?: string | null;
    labels?: string[];
  },
): IssueRecord {
  const { state } = sim;
  const { repository, author } = params;
  const id = state.nextId("issue");
  const now = sim.clock.iso();
  repository.lastNumber++;
  const issue: IssueRecord = {
    id,
    nodeId: state.nodeId("Issue", id),
    repositoryId: repository.id,
    number: repository.lastNumber,
    title: params.title,
    body: params.body ?? null,
    authorId: author.id,
    viaAppId: params.viaAppId ?? null,
    state: "open",
    stateReason: null,
    labelIds: [],
    assigneeIds: [],
    isPullRequest: false,
    createdAt: now,
    updatedAt: now,
    closedAt: null,
    closedById: null,
  };
  state.issues.set(`${repository.id}#${issue.number}`, issue);
  emitRepositoryEvent(sim, {
    event: "issues",
    action: "opened",
    repository,
    sender: author,
    fields: (example) => ({
      issue: renderIssue(sim, issue, example.issue as Record<string, unknown>),
    }),
  });
  if (params.labels?.length)
    addLabels(sim, { repository, issue, names: params.labels, actor: author });
  return issue;
}
