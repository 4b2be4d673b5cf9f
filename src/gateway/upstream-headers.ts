import type { IncomingHttpHeaders } from "node:http";
import type { Upstream } from "./gateway-providers.js";

/**
 * Request headers passed on to the provider; every other one is dropped. Besides the
 * body's type, what the client accepts and its name, these are the session ids
 * OpenCode sends (providers use them to keep a conversation on one cache). Dropped on
 * purpose: `openai-organization` and `openai-project` (they pick which organization
 * or project Ship's key bills; the operator sets them in `options.headers`), and the
 * client's credentials, encodings and hop-by-hop headers.
 */
const passed = new Set([
  "content-type",
  "accept",
  "user-agent",
  "x-session-id",
  "x-session-affinity",
  "session-id",
  "originator",
]);
const passedAnthropic = new Set(["anthropic-version"]);
/**
 * `anthropic-beta` values passed on: those that change only how an answer streams.
 * Other betas switch on server-side tools and connectors (MCP servers, code execution,
 * web fetch) that Anthropic runs with Ship's key and the gateway cannot meter, or
 * long-context pricing the price table does not know.
 */
const passedBetas = new Set([
  "interleaved-thinking-2025-05-14",
  "fine-grained-tool-streaming-2025-05-14",
]);

/** The headers to send upstream: the allow-listed ones, the operator's, and the real key. */
export function upstreamHeaders(
  incoming: IncomingHttpHeaders,
  upstream: Upstream,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(incoming)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(", ") : value;
    if (passed.has(key) || (upstream.protocol === "anthropic" && passedAnthropic.has(key))) {
      headers[key] = text;
    } else if (upstream.protocol === "anthropic" && key === "anthropic-beta") {
      const betas = text
        .split(",")
        .map((beta) => beta.trim())
        .filter((beta) => passedBetas.has(beta));
      if (betas.length > 0) headers[key] = betas.join(",");
    }
  }
  Object.assign(headers, upstream.headers);
  if (upstream.apiKey) {
    if (upstream.protocol === "anthropic") headers["x-api-key"] = upstream.apiKey;
    else headers.authorization = `Bearer ${upstream.apiKey}`;
  }
  return headers;
}
