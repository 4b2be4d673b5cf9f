import type { CallUsage } from "./create-usage-reader.js";

/**
 * Output tokens assumed when a call names no maximum: OpenCode's own cap on a
 * response's output (its `OUTPUT_TOKEN_MAX`), which it sends as the maximum anyway.
 */
const defaultMaxOutputTokens = 32_000;
/**
 * Request bytes per input token, on the high side of the count: English prose is near
 * 4 bytes a token, code, JSON and other languages fewer. Overcounting costs only
 * parallelism; undercounting would let parallel calls past a budget.
 */
const bytesPerInputToken = 3;

/**
 * The most one model call may use, before it is forwarded: its input estimated from
 * the body's size, and its output at the maximum the body asks for (`max_tokens`,
 * `max_completion_tokens` or `max_output_tokens`), or OpenCode's cap when it asks for
 * none. Reserved against the budget while the call is in flight, and charged (field by
 * field, where it is more than what was read) when a successful answer ends without
 * its final usage (see create-gateway-handler.ts). A chat call for several choices
 * (`n`), whose output this would not cover, is refused (refuse-unmetered-features.ts).
 * Token counting (`/messages/count_tokens`) produces no output.
 */
export function estimateCallUsage(
  path: string,
  json: Record<string, unknown>,
  bodyBytes: number,
): CallUsage {
  const input = Math.ceil(bodyBytes / bytesPerInputToken);
  if (path.endsWith("/count_tokens")) return { input, output: 0, cacheRead: 0, cacheWrite: 0 };
  const asked = [json.max_tokens, json.max_completion_tokens, json.max_output_tokens].find(
    (value): value is number => typeof value === "number" && Number.isFinite(value) && value > 0,
  );
  return {
    input,
    output: Math.ceil(asked ?? defaultMaxOutputTokens),
    cacheRead: 0,
    cacheWrite: 0,
  };
}
