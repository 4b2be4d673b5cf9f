import type { CompletionUsage } from "./to-completion.js";

/**
 * Chat completions' `usage`: OpenAI counts cached tokens inside `prompt_tokens` (and
 * OpenCode subtracts them again); it has no cache writes, so those are plain prompt
 * tokens here.
 */
export function chatUsage(usage: CompletionUsage): object {
  const prompt = usage.input + usage.cacheRead + usage.cacheWrite;
  return {
    prompt_tokens: prompt,
    completion_tokens: usage.output,
    total_tokens: prompt + usage.output,
    prompt_tokens_details: { cached_tokens: usage.cacheRead },
    completion_tokens_details: { reasoning_tokens: 0 },
  };
}
