import { availableModels } from "./available-models.js";
import type { Config } from "./read-config.js";

/** True when runs may use `candidate` (see `availableModels`). */
export function isAvailableModel(candidate: string, model: Config["model"]): boolean {
  const provider = candidate.slice(0, candidate.indexOf("/"));
  return availableModels(model).some((known) => known === candidate || known === `${provider}/*`);
}
