import { availableModels } from "../../src/config/available-models.js";
import { isAvailableModel } from "../../src/config/is-available-model.js";

describe("available models", () => {
  const model = {
    default: "anthropic/claude-sonnet-4-5",
    providers: {
      local: { npm: "@ai-sdk/openai-compatible", models: { small: {}, large: {} } },
      openai: { options: { apiKey: "k" } },
    },
  };

  it("lists SHIP_MODEL, every listed model, and providers that take any model", () => {
    expect(availableModels(model)).toEqual([
      "anthropic/claude-sonnet-4-5",
      "local/small",
      "local/large",
      "openai/*",
    ]);
  });

  it.each([
    ["anthropic/claude-sonnet-4-5", true],
    ["local/small", true],
    ["openai/gpt-5", true],
    ["local/huge", false],
    ["anthropic/claude-opus-4", false],
    ["mistral/large", false],
  ])("%s is available: %s", (candidate, expected) => {
    expect(isAvailableModel(candidate, model)).toBe(expected);
  });
});
