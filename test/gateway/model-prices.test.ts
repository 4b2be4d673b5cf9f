import { describe, expect, it } from "@jest/globals";
import { defaultModelPrices, findModelPrice } from "../../src/gateway/model-prices.js";

const free = { input: 0, output: 0 };
const prices = { ...defaultModelPrices, "local/*": free, "local/big": { input: 1, output: 2 } };

describe("findModelPrice", () => {
  it("finds a model exactly, by its dated base, or by its provider's wildcard", () => {
    expect(findModelPrice(prices, "anthropic", "claude-sonnet-4-5-20250929")).toEqual(
      defaultModelPrices["claude-sonnet-4-5"],
    );
    expect(findModelPrice(prices, "openai", "gpt-5-2025-08-07")).toEqual(
      defaultModelPrices["gpt-5"],
    );
    expect(findModelPrice(prices, "local", "big")).toEqual({ input: 1, output: 2 });
    expect(findModelPrice(prices, "local", "anything")).toEqual(free);
  });

  it("finds no price for an unknown model or a prototype name", () => {
    expect(findModelPrice(prices, "openai", "o1-pro")).toBeUndefined();
    // Not the price of o3 or gpt-5: other models, priced ten times higher.
    expect(findModelPrice(prices, "openai", "o3-pro")).toBeUndefined();
    expect(findModelPrice(prices, "openai", "gpt-5-pro")).toBeUndefined();
    expect(findModelPrice(prices, "sim", "constructor")).toBeUndefined();
    expect(findModelPrice(prices, "sim", "__proto__")).toBeUndefined();
  });
});
