import { z } from "zod";

/** A limit on what a run (or a repository in a month) may spend on its model. */
export type Budget = { kind: "usd"; amount: number } | { kind: "tokens"; amount: number };

const pattern = /^(?:\$\s*(\d+(?:\.\d+)?)|(\d+(?:\.\d+)?)\s*(k|m)?\s*tokens?)$/i;

/** `$5`, `$0.50`, `200000 tokens`, `300k tokens`, `2m tokens`. */
export const budgetSchema = z
  .string()
  .trim()
  .regex(pattern)
  .transform((text): Budget => {
    const [, usd, count, scale] = pattern.exec(text) ?? [];
    if (usd !== undefined) return { kind: "usd", amount: Number(usd) };
    const factor = { k: 1_000, m: 1_000_000 }[(scale ?? "").toLowerCase() as "k" | "m"] ?? 1;
    return { kind: "tokens", amount: Math.round(Number(count) * factor) };
  });

/** The budget as people write it: `$5.00` or `300,000 tokens`. */
export function formatBudget(budget: Budget): string {
  return budget.kind === "usd"
    ? `$${budget.amount.toFixed(2)}`
    : `${budget.amount.toLocaleString("en")} tokens`;
}
