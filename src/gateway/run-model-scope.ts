import { parseModelId } from "../agent/parse-model-id.js";
import type { ProviderConfig } from "./gateway-providers.js";

/** The one provider a run's calls may go to, and the model names its calls may ask for. */
export interface RunModelScope {
  providerId: string;
  /** The run's model id, and the provider's own name for it when the config sets one (`models.<id>.id`). */
  models: ReadonlySet<string>;
}

/**
 * What a run may call, from the `provider/model` stored with it when it was queued
 * (`runs.model`, the model its sandbox's OpenCode was configured with). Undefined when
 * the run has no usable model: then nothing is forwarded.
 */
export function runModelScope(
  runModel: string | null,
  providers: Readonly<Record<string, ProviderConfig>>,
): RunModelScope | undefined {
  if (!runModel) return undefined;
  let ref: ReturnType<typeof parseModelId>;
  try {
    ref = parseModelId(runModel);
  } catch {
    return undefined;
  }
  const models = new Set([ref.modelID]);
  // OpenCode sends a configured model's `id` (its name at the provider) instead of its key.
  const provider = Object.hasOwn(providers, ref.providerID) ? providers[ref.providerID] : undefined;
  const configured = (provider?.models ?? {}) as Record<string, unknown>;
  const entry = Object.hasOwn(configured, ref.modelID) ? configured[ref.modelID] : undefined;
  const apiId = (entry as { id?: unknown } | undefined)?.id;
  if (typeof apiId === "string" && apiId !== "") models.add(apiId);
  return { providerId: ref.providerID, models };
}
