import type { RunResult } from "../runs/run-result.js";

type TokenUsage = NonNullable<RunResult["usage"]>;

/**
 * `8,900 tokens in (3,500 from cache), 162 out, $0.0042`: what the model was sent (cache reads
 * and writes counted in the total, as the provider bills them) and wrote, and its cost. The one
 * wording of a run's tokens, shared by the status comment and the run page so the two
 * never disagree. Plain text: the caller escapes it for HTML. A run that cost nothing
 * says why there is no dollar figure instead of leaving it out.
 */
export function formatTokenUsage(usage: TokenUsage): string {
  const cached = usage.cacheRead + (usage.cacheWrite ?? 0);
  const input = usage.input + cached;
  const n = (count: number) => count.toLocaleString("en");
  const cost = usage.cost > 0 ? `$${usage.cost.toFixed(4)}` : "no price known for this model";
  return `${n(input)} tokens in${usage.cacheRead > 0 ? ` (${n(usage.cacheRead)} from cache)` : ""}, ${n(usage.output)} out, ${cost}`;
}
