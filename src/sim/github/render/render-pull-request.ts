import type { PullRequestRecord } from "../records.js";
import type { Sim } from "../sim.js";
import { authorAssociation } from "./author-association.js";
import { renderLabel } from "./render-label.js";
import { renderRepository } from "./render-repository.js";
import { renderUser } from "./render-user.js";

type JsonObject = Record<string, unknown>;

/**
 * A pull request on `template` (GitHub's example for REST, the payload's own for
 * webhooks). Title, body, state, labels and author come from its issue, as on GitHub.
 */
export function renderPullRequest(
  sim: Sim,
  pull: PullRequestRecord,
  template: JsonObject = sim.templates.example("pull-request"),
): JsonObject {
  const out = structuredClone(template);
  const { state } = sim;
  const repository = state.repository(pull.repositoryId);
  const issue = state.issue(repository.id, pull.number);
  if (!issue) throw new Error(`pull request ${pull.number} has no issue`);
  const fullName = state.fullName(repository);
  const apiRepo = `${sim.urls.api}/repos/${fullName}`;
  const url = `${apiRepo}/pulls/${pull.number}`;
  const htmlUrl = `${sim.urls.web}/${fullName}/pull/${pull.number}`;
  const issueUrl = `${apiRepo}/issues/${pull.number}`;
  const headRepository = state.repository(pull.head.repositoryId);
  const headOwner = state.user(headRepository.ownerId);
  const baseOwner = state.user(repository.ownerId);
  const userTemplate = template.user as JsonObject;
  const users = (ids: number[]) => ids.map((id) => renderUser(sim, state.user(id), userTemplate));
  const assignees = users(issue.assigneeIds);
  const side = (name: "head" | "base") => structuredClone(template[name]) as JsonObject;
  const head = side("head");
  const base = side("base");
  const comments = [...state.issueComments.values()].filter(
    (comment) => comment.repositoryId === repository.id && comment.issueNumber === pull.number,
  ).length;
  const reviewComments = [...state.reviewComments.values()].filter(
    (comment) => comment.repositoryId === repository.id && comment.pullNumber === pull.number,
  ).length;
  Object.assign(out, {
    url,
    id: pull.id,
    node_id: pull.nodeId,
    html_url: htmlUrl,
    diff_url: `${htmlUrl}.diff`,
    patch_url: `${htmlUrl}.patch`,
    issue_url: issueUrl,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${apiRepo}/pulls/comments{/number}`,
    comments_url: `${issueUrl}/comments`,
    statuses_url: `${apiRepo}/statuses/${pull.head.sha}`,
    number: pull.number,
    state: issue.state,
    locked: false,
    title: issue.title,
    user: renderUser(sim, state.user(issue.authorId), userTemplate),
    body: issue.body,
    labels: issue.labelIds.map((id) => {
      const label = [...repository.labels.values()].find((candidate) => candidate.id === id);
      if (!label) throw new Error(`label ${id} is gone`);
      return renderLabel(sim, label);
    }),
    milestone: null,
    active_lock_reason: null,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    merged_at: pull.mergedAt,
    merge_commit_sha: null,
    assignee: assignees[0] ?? null,
    assignees,
    requested_reviewers: users(pull.requestedReviewerIds),
    requested_teams: [],
    head: Object.assign(head, {
      label: `${headOwner.login}:${pull.head.ref}`,
      ref: pull.head.ref,
      sha: pull.head.sha,
      user: renderUser(sim, headOwner, head.user as JsonObject),
      repo: renderRepository(sim, headRepository, { template: head.repo as JsonObject }),
    }),
    base: Object.assign(base, {
      label: `${baseOwner.login}:${pull.base.ref}`,
      ref: pull.base.ref,
      sha: pull.base.sha,
      user: renderUser(sim, baseOwner, base.user as JsonObject),
      repo: renderRepository(sim, repository, { template: base.repo as JsonObject }),
    }),
    _links: {
      self: { href: url },
      html: { href: htmlUrl },
      issue: { href: issueUrl },
      comments: { href: `${issueUrl}/comments` },
      review_comments: { href: `${url}/comments` },
      review_comment: { href: `${apiRepo}/pulls/comments{/number}` },
      commits: { href: `${url}/commits` },
      statuses: { href: `${apiRepo}/statuses/${pull.head.sha}` },
    },
    author_association: authorAssociation(sim, repository, issue.authorId),
    auto_merge: null,
    draft: pull.draft,
  });
  // Only the full pull request (not the one inside review comment payloads) has these.
  if ("merged" in template) {
    Object.assign(out, {
      merged: pull.merged,
      mergeable: issue.state === "open" ? true : null,
      rebaseable: issue.state === "open" ? true : null,
      mergeable_state: pull.draft ? "draft" : "clean",
      merged_by: null,
      comments,
      review_comments: reviewComments,
      maintainer_can_modify: pull.maintainerCanModify,
      commits: pull.stats.commits,
      additions: pull.stats.additions,
      deletions: pull.stats.deletions,
      changed_files: pull.stats.changedFiles,
    });
  }
  return out;
}
