/** A model as OpenCode's prompt API names it. */
export interface ModelRef {
  providerID: string;
  modelID: string;
}

/**
 * Splits Ship's `provider/model` (`SHIP_MODEL`) at the first slash: model ids may
 * contain slashes themselves (`openrouter/anthropic/claude-sonnet-4.5`). Throws on
 * anything without both halves, so a bad setting fails before a sandbox is paid for.
 */
export function parseModelId(model: string): ModelRef {
  const slash = model.indexOf("/");
  const providerID = model.slice(0, slash);
  const modelID = model.slice(slash + 1);
  if (slash <= 0 || modelID === "") {
    throw new TypeError(
      `A model is named "provider/model", e.g. anthropic/claude-sonnet-4-5; got "${model}"`,
    );
  }
  return { providerID, modelID };
}
