import type { LabelRecord } from "../records.js";
import type { Sim } from "../sim.js";

/** A label as GitHub returns it. */
export function renderLabel(sim: Sim, label: LabelRecord): Record<string, unknown> {
  const repository = sim.state.repository(label.repositoryId);
  return {
    id: label.id,
    node_id: label.nodeId,
    url: `${sim.urls.api}/repos/${sim.state.fullName(repository)}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    color: label.color,
    default: label.isDefault,
    description: label.description,
  };
}
