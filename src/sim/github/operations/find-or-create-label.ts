import type { LabelRecord, RepositoryRecord } from "../records.js";
import type { Sim } from "../sim.js";

/** The repository's label of that name (any case), created grey when missing. */
export function findOrCreateLabel(
  sim: Sim,
  repository: RepositoryRecord,
  name: string,
  details: { color?: string; description?: string | null } = {},
): LabelRecord {
  const existing = repository.labels.get(name.toLowerCase());
  if (existing) return existing;
  const id = sim.state.nextId("label");
  const label: LabelRecord = {
    id,
    nodeId: sim.state.nodeId("Label", id),
    repositoryId: repository.id,
    name,
    color: details.color ?? "ededed",
    description: details.description ?? null,
    isDefault: false,
    updatedAt: sim.clock.iso(),
  };
  repository.labels.set(name.toLowerCase(), label);
  return label;
}
