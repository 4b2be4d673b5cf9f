import { describe, expect, it } from "@jest/globals";
import { effectiveRunBudgets } from "../../src/gateway/effective-run-budgets.js";

const usd = (amount: number) => ({ kind: "usd" as const, amount });
const tokens = (amount: number) => ({ kind: "tokens" as const, amount });

describe("effectiveRunBudgets", () => {
  it("lets a repository's budget only lower the operator's in the same unit", () => {
    expect(effectiveRunBudgets(usd(10), usd(1_000))).toEqual([usd(10)]);
    expect(effectiveRunBudgets(usd(10), usd(2))).toEqual([usd(2)]);
    expect(effectiveRunBudgets(tokens(300_000), tokens(1_000_000))).toEqual([tokens(300_000)]);
  });

  it("applies both in different units, and either alone", () => {
    expect(effectiveRunBudgets(usd(10), tokens(50_000))).toEqual([usd(10), tokens(50_000)]);
    expect(effectiveRunBudgets(usd(10), undefined)).toEqual([usd(10)]);
    expect(effectiveRunBudgets(undefined, tokens(5))).toEqual([tokens(5)]);
    expect(effectiveRunBudgets(undefined, undefined)).toEqual([]);
  });
});
