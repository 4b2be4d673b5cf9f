import type { IssueRecord, LabelRecord, RepositoryRecord, UserRecord } from "../records.js";
import { renderIssue } from "../render/render-issue.js";
import { renderLabel } from "../render/render-label.js";
import { renderPullRequest } from "../render/render-pull-request.js";
import type { Sim } from "../sim.js";
import { emitRepositoryEvent } from "./emit-repository-event.js";

/** Sends `labeled`/`unlabeled` as an `issues` or `pull_request` event. */
export function emitLabelEvent(
  sim: Sim,
  params: {
    repository: RepositoryRecord;
    issue: IssueRecord;
    label: LabelRecord;
    actor: UserRecord;
    action: "labeled" | "unlabeled";
  },
): void {
  const { repository, issue, label, actor, action } = params;
  const pull = issue.isPullRequest ? sim.state.pull(repository.id, issue.number) : undefined;
  emitRepositoryEvent(sim, {
    event: pull ? "pull_request" : "issues",
    action,
    repository,
    sender: actor,
    fields: (example) =>
      pull
        ? {
            number: pull.number,
            pull_request: renderPullRequest(
              sim,
              pull,
              example.pull_request as Record<string, unknown>,
            ),
            label: renderLabel(sim, label),
          }
        : {
            issue: renderIssue(sim, issue, example.issue as Record<string, unknown>),
            label: renderLabel(sim, label),
          },
  });
}
