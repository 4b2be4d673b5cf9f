import type { z } from "zod";
import type { providerConfigSchema } from "../../config/env-schema.js";
import type { ModelProtocol } from "./wire-format.js";

type ProviderConfig = z.output<typeof providerConfigSchema>[string];

/** The AI SDK provider package OpenCode loads for each of the sim's APIs (all built into it). */
const packages: Record<ModelProtocol, string> = {
  chat: "@ai-sdk/openai-compatible",
  responses: "@ai-sdk/openai",
  messages: "@ai-sdk/anthropic",
};

/**
 * OpenCode's provider config (also Ship's `SHIP_PROVIDERS` entry) for a model server:
 * one model per script name, so `<provider id>/<script>` selects a script, e.g.
 * `SHIP_MODEL=sim/write-readme` with `{ sim: simProviderConfig(...) }`. OpenCode
 * refuses models its config does not list, so name every script a session will use.
 * `protocol` picks the API OpenCode calls, as with a real provider: `chat` (default,
 * an OpenAI-compatible provider), `responses` (OpenAI's own package, as OpenCode's
 * `openai` provider) or `messages` (Anthropic's). `modelOptions` is merged into every
 * model (e.g. `{ cost: { input: 3, output: 15 } }` in dollars per million tokens, for
 * cost tests).
 */
export function simProviderConfig(params: {
  baseUrl: string;
  models: readonly string[];
  protocol?: ModelProtocol;
  modelOptions?: Record<string, unknown>;
}): ProviderConfig {
  return {
    npm: packages[params.protocol ?? "chat"],
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
