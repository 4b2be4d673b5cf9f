import type { CompletionUsage } from "./to-completion.js";

/**
 * Anthropic's `usage`: unlike OpenAI, `input_tokens` excludes what was read from or
 * written to the prompt cache, which come as their own counts.
 */
export function messagesUsage(usage: CompletionUsage, outputTokens = usage.output): object {
  return {
    input_tokens: usage.input,
    cache_creation_input_tokens: usage.cacheWrite,
    cache_read_input_tokens: usage.cacheRead,
    output_tokens: outputTokens,
  };
}
