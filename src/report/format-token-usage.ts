import type { RunResult } from "../runs/run-result.js";

type TokenUsage = NonNullable<RunResult["usage"]>;

/**
 * `8,900 tokens in (3,500 from cache), 162 out`: what the model was sent (cache reads
 * and writes counted in the total, as providers bill them) and what it wrote. The one
 * wording of a run's tokens, shared by the status comment and the run page so the two
 * never disagree. Plain text (the caller escapes it for HTML); the cost is the caller's,
 * since each says in its own way why there is none.
 */
export function formatTokenUsage(usage: TokenUsage): string {
  const cached = usage.cacheRead + (usage.cacheWrite ?? 0);
  const n = (count: number) => count.toLocaleString("en");
  return `${n(usage.input + cached)} tokens in${usage.cacheRead > 0 ? ` (${n(usage.cacheRead)} from cache)` : ""}, ${n(usage.output)} out`;
}
