import type { PullRequestRecord, UserRecord } from "../records.js";
import { renderPullRequest } from "../render/render-pull-request.js";
import type { Sim } from "../sim.js";
import { emitRepositoryEvent } from "../webhooks/emit-repository-event.js";

/**
 * Marks a pull request ready for review (`draft: false`) or converts it back to a
 * draft, sending `pull_request.ready_for_review` / `converted_to_draft`. No change, no
 * event.
 */
export function setPullRequestDraft(
  sim: Sim,
  params: { pull: PullRequestRecord; draft: boolean; actor: UserRecord },
): PullRequestRecord {
  const { pull, actor } = params;
  if (pull.draft === params.draft) return pull;
  pull.draft = params.draft;
  const repository = sim.state.repository(pull.repositoryId);
  const issue = sim.state.issue(repository.id, pull.number);
  if (issue) issue.updatedAt = sim.clock.iso();
  emitRepositoryEvent(sim, {
    event: "pull_request",
    action: params.draft ? "converted_to_draft" : "ready_for_review",
    repository,
    sender: actor,
    fields: (example) => ({
      number: pull.number,
      pull_request: renderPullRequest(sim, pull, example.pull_request as Record<string, unknown>),
    }),
  });
  return pull;
}
