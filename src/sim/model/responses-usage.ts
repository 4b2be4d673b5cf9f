import type { CompletionUsage } from "./to-completion.js";

/**
 * The Responses API's `usage`: like chat completions, `input_tokens` counts the cached
 * tokens too (`input_tokens_details.cached_tokens` says how many); no cache writes.
 */
export function responsesUsage(usage: CompletionUsage): object {
  const input = usage.input + usage.cacheRead + usage.cacheWrite;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: usage.cacheRead },
    output_tokens: usage.output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: input + usage.output,
  };
}
