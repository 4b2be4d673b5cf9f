import type { IssueRecord, UserRecord } from "../records.js";
import { renderIssue } from "../render/render-issue.js";
import { renderPullRequest } from "../render/render-pull-request.js";
import type { Sim } from "../sim.js";
import { emitRepositoryEvent } from "../webhooks/emit-repository-event.js";

/**
 * Changes an issue's (or pull request's) title, body or state and sends what GitHub
 * sends: `edited` with `changes`, `closed` or `reopened`, as an `issues` event or, for
 * a pull request, a `pull_request` event.
 */
export function updateIssue(
  sim: Sim,
  params: {
    issue: IssueRecord;
    actor: UserRecord;
    title?: string;
    body?: string | null;
    state?: "open" | "closed";
    stateReason?: "completed" | "not_planned" | "reopened" | null;
  },
): IssueRecord {
  const { issue, actor } = params;
  const { state } = sim;
  const repository = state.repository(issue.repositoryId);
  const pull = issue.isPullRequest ? state.pull(repository.id, issue.number) : undefined;
  const now = sim.clock.iso();
  const changes: Record<string, { from: unknown }> = {};
  if (params.title !== undefined && params.title !== issue.title) {
    changes.title = { from: issue.title };
    issue.title = params.title;
  }
  if (params.body !== undefined && params.body !== issue.body) {
    // GitHub reports a missing body as an empty string.
    changes.body = { from: issue.body ?? "" };
    issue.body = params.body;
  }
  let stateAction: "closed" | "reopened" | undefined;
  if (params.state !== undefined && params.state !== issue.state) {
    issue.state = params.state;
    if (params.state === "closed") {
      stateAction = "closed";
      issue.closedAt = now;
      issue.closedById = actor.id;
      issue.stateReason = pull ? null : (params.stateReason ?? "completed");
    } else {
      stateAction = "reopened";
      issue.closedAt = null;
      issue.closedById = null;
      issue.stateReason = pull ? null : "reopened";
    }
  }
  if (Object.keys(changes).length === 0 && !stateAction) return issue;
  issue.updatedAt = now;
  const send = (action: string, extra: Record<string, unknown>) =>
    emitRepositoryEvent(sim, {
      event: pull ? "pull_request" : "issues",
      action,
      repository,
      sender: actor,
      fields: (example) =>
        pull
          ? {
              number: pull.number,
              ...extra,
              pull_request: renderPullRequest(
                sim,
                pull,
                example.pull_request as Record<string, unknown>,
              ),
            }
          : { ...extra, issue: renderIssue(sim, issue, example.issue as Record<string, unknown>) },
    });
  if (Object.keys(changes).length > 0) send("edited", { changes });
  if (stateAction) send(stateAction, {});
  return issue;
}
