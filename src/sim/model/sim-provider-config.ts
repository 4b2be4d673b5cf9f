import type { z } from "zod";
import type { providerConfigSchema } from "../../config/env-schema.js";

type ProviderConfig = z.output<typeof providerConfigSchema>[string];

/**
 * OpenCode's provider config (also Ship's `SHIP_PROVIDERS` entry) for a model server:
 * one model per script name, so `<provider id>/<script>` selects a script, e.g.
 * `SHIP_MODEL=sim/write-readme` with `{ sim: simProviderConfig(...) }`. OpenCode
 * refuses models its config does not list, so name every script a session will use.
 * `modelOptions` is merged into every model (e.g. `{ cost: { input: 3, output: 15 } }`
 * in dollars per million tokens, for cost tests).
 */
export function simProviderConfig(params: {
  baseUrl: string;
  models: readonly string[];
  modelOptions?: Record<string, unknown>;
}): ProviderConfig {
  return {
    npm: "@ai-sdk/openai-compatible",
    name: "Model sim",
    options: { baseURL: params.baseUrl, apiKey: "sim" },
    models: Object.fromEntries(
      params.models.map((model) => [
        model,
        { name: model, tool_call: true, ...params.modelOptions },
      ]),
    ),
  };
}
