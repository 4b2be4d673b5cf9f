import type { TriggerRepository } from "./trigger.js";

/** The repository fields of a webhook payload, as a Trigger keeps them. */
export function triggerRepositoryOf(repository: {
  id: number;
  name: string;
  full_name: string;
  default_branch: string;
  owner: { login: string };
}): TriggerRepository {
  return {
    id: repository.id,
    owner: repository.owner.login,
    name: repository.name,
    fullName: repository.full_name,
    defaultBranch: repository.default_branch,
  };
}
