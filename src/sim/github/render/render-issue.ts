import type { IssueRecord } from "../records.js";
import type { Sim } from "../sim.js";
import { authorAssociation } from "./author-association.js";
import { renderApp } from "./render-app.js";
import { renderLabel } from "./render-label.js";
import { renderReactionRollup } from "./render-reaction-rollup.js";
import { renderUser } from "./render-user.js";

/**
 * An issue (or the issue side of a pull request) on `template`: GitHub's issue example
 * for REST, the payload's own issue object for webhooks.
 */
export function renderIssue(
  sim: Sim,
  issue: IssueRecord,
  template: Record<string, unknown> = sim.templates.example("issue"),
): Record<string, unknown> {
  const out = structuredClone(template);
  const { state } = sim;
  const repository = state.repository(issue.repositoryId);
  const fullName = state.fullName(repository);
  const apiRepo = `${sim.urls.api}/repos/${fullName}`;
  const url = `${apiRepo}/issues/${issue.number}`;
  const htmlUrl = `${sim.urls.web}/${fullName}/${issue.isPullRequest ? "pull" : "issues"}/${issue.number}`;
  const assignees = issue.assigneeIds.map((id) =>
    renderUser(sim, state.user(id), template.user as Record<string, unknown>),
  );
  const comments = [...state.issueComments.values()].filter(
    (comment) => comment.repositoryId === repository.id && comment.issueNumber === issue.number,
  ).length;
  Object.assign(out, {
    url,
    repository_url: apiRepo,
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: htmlUrl,
    id: issue.id,
    node_id: issue.nodeId,
    number: issue.number,
    title: issue.title,
    body: issue.body,
    user: renderUser(sim, state.user(issue.authorId), template.user as Record<string, unknown>),
    labels: issue.labelIds.map((id) => {
      const label = [...repository.labels.values()].find((candidate) => candidate.id === id);
      if (!label) throw new Error(`label ${id} is gone`);
      return renderLabel(sim, label);
    }),
    state: issue.state,
    locked: false,
    active_lock_reason: null,
    assignee: assignees[0] ?? null,
    assignees,
    milestone: null,
    comments,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    author_association: authorAssociation(sim, repository, issue.authorId),
  });
  if ("state_reason" in out || issue.stateReason) out.state_reason = issue.stateReason;
  // GitHub's description leaves these out of its issue example; api.github.com sends them.
  out.timeline_url = `${url}/timeline`;
  if ("closed_by" in out) {
    out.closed_by =
      issue.closedById === null
        ? null
        : renderUser(sim, state.user(issue.closedById), template.user as Record<string, unknown>);
  }
  out.reactions = renderReactionRollup(sim, { type: "issue", id: issue.id }, url);
  out.performed_via_github_app =
    issue.viaAppId === null ? null : renderApp(sim, state.app(issue.viaAppId));
  if ("pinned_comment" in out) out.pinned_comment = null;
  const pull = issue.isPullRequest ? state.pull(repository.id, issue.number) : undefined;
  if (pull) {
    out.pull_request = {
      url: `${apiRepo}/pulls/${issue.number}`,
      html_url: htmlUrl,
      diff_url: `${htmlUrl}.diff`,
      patch_url: `${htmlUrl}.patch`,
      merged_at: pull.mergedAt,
    };
    out.draft = pull.draft;
  } else {
    delete out.pull_request;
    delete out.draft;
  }
  return out;
}
