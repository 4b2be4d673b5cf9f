import { HttpError } from "../http/http-error.js";
import type { IssueRecord, LabelRecord, RepositoryRecord, UserRecord } from "../records.js";
import type { Sim } from "../sim.js";
import { emitLabelEvent } from "../webhooks/emit-label-event.js";

/**
 * Takes a label off an issue or pull request and sends `unlabeled`; GitHub's 404
 * "Label does not exist" when it was not on it. Returns the labels left.
 */
export function removeLabel(
  sim: Sim,
  params: { repository: RepositoryRecord; issue: IssueRecord; name: string; actor: UserRecord },
): LabelRecord[] {
  const { repository, issue, actor } = params;
  const label = repository.labels.get(params.name.toLowerCase());
  if (!label || !issue.labelIds.includes(label.id)) {
    throw new HttpError(404, "Label does not exist");
  }
  issue.labelIds = issue.labelIds.filter((id) => id !== label.id);
  issue.updatedAt = sim.clock.iso();
  emitLabelEvent(sim, { repository, issue, label, actor, action: "unlabeled" });
  return issue.labelIds.map(
    (id) => [...repository.labels.values()].find((candidate) => candidate.id === id) as LabelRecord,
  );
}
