import type { IssueRecord, LabelRecord, RepositoryRecord, UserRecord } from "../records.js";
import type { Sim } from "../sim.js";
import { emitLabelEvent } from "../webhooks/emit-label-event.js";
import { findOrCreateLabel } from "./find-or-create-label.js";

/**
 * Adds labels to an issue or pull request (creating missing repository labels, as
 * GitHub does) and sends `issues.labeled` (`pull_request.labeled` on a pull request)
 * for each one that was not there yet.
 */
export function addLabels(
  sim: Sim,
  params: { repository: RepositoryRecord; issue: IssueRecord; names: string[]; actor: UserRecord },
): LabelRecord[] {
  const { repository, issue, actor } = params;
  for (const name of params.names) {
    const label = findOrCreateLabel(sim, repository, name);
    if (issue.labelIds.includes(label.id)) continue;
    issue.labelIds.push(label.id);
    issue.updatedAt = sim.clock.iso();
    emitLabelEvent(sim, { repository, issue, label, actor, action: "labeled" });
  }
  return issue.labelIds.map(
    (id) => [...repository.labels.values()].find((label) => label.id === id) as LabelRecord,
  );
}
