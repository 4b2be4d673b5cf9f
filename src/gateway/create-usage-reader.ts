/** Tokens of one model call, by kind. `input` excludes what was read from the cache. */
export interface CallUsage {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

type Fields = Record<string, unknown>;

/** 8 MiB: far above any model answer's JSON, far below what would strain a process. */
const defaultMaxBuffered = 8 * 1024 * 1024;

/** The Responses API's stream events that carry the finished response and its usage. */
const finalResponseEvents = new Set([
  "response.completed",
  "response.incomplete",
  "response.failed",
]);

/**
 * Reads a provider's answer as it streams past, for its usage, in each API OpenCode
 * speaks: OpenAI chat completions (`usage` in the JSON body, or in the last SSE chunk
 * with `stream_options.include_usage`; without it a stream carries none), the OpenAI
 * Responses API (`usage` in the response body, or in the `response.completed` event's
 * `response`), and Anthropic Messages (`usage` in the body, or in `message_start` then
 * `message_delta`). OpenAI counts cached tokens inside its input count, Anthropic
 * apart; both come out as `CallUsage`. The bytes are only read, never changed.
 *
 * What it keeps is bounded by `maxBuffered` (characters): a JSON body, or one SSE line,
 * longer than that is no longer kept (its usage is then unknown, and `truncated` says
 * so), while the caller passes every byte on regardless.
 */
export function createUsageReader(
  contentType: string,
  maxBuffered = defaultMaxBuffered,
): {
  push(chunk: Uint8Array): void;
  end(): CallUsage;
  /** Whether something was too long to read for usage. */
  readonly truncated: boolean;
  /**
   * Whether the answer reported its final usage (if only zeros): a terminal event
   * (Anthropic's `message_delta` with `output_tokens`, or `message_stop`; the Responses
   * API's `response.completed`, `.incomplete` or `.failed`; a chat chunk with `usage`)
   * or a whole JSON body with `usage`. Anthropic's `message_start` carries usage too,
   * but only the input and a first output token: a stream cut off after it has not
   * reported what it spent.
   */
  readonly reported: boolean;
} {
  const decoder = new TextDecoder();
  const usage: CallUsage = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
  const streamed = contentType.includes("text/event-stream");
  let pending = "";
  let truncated = false;
  let reported = false;
  /** Within an SSE line that outgrew the bound: skip to its end. */
  let skippingLine = false;

  const read = (data: unknown) => {
    if (!data || typeof data !== "object") return;
    const event = data as Fields;
    if (typeof event.type === "string" && finalResponseEvents.has(event.type)) {
      takeResponses((event.response as Fields | undefined)?.usage);
    } else if (event.object === "response") takeResponses(event.usage);
    else if (event.type === "message_start") {
      // Input counts and a first output token: not yet what the answer spends.
      take((event.message as Fields | undefined)?.usage, false);
    } else if (event.type === "message_stop") reported = true;
    else if (event.type === "message_delta") {
      const u = event.usage as Fields | null | undefined;
      take(u, typeof u?.output_tokens === "number");
    } else take(event.usage);
  };
  /** The Responses API: `input_tokens` includes `input_tokens_details.cached_tokens`. */
  const takeResponses = (value: unknown) => {
    if (!value || typeof value !== "object") return;
    reported = true;
    const u = value as Fields;
    const details = u.input_tokens_details as { cached_tokens?: unknown } | null | undefined;
    const cached = numberOr(details?.cached_tokens, 0);
    usage.input = numberOr(u.input_tokens, 0) - cached;
    usage.cacheRead = cached;
    usage.output = numberOr(u.output_tokens, usage.output);
  };
  /** Chat completions (`prompt_tokens`, cached inside) or Anthropic (each count apart). */
  const take = (value: unknown, final = true) => {
    if (!value || typeof value !== "object") return;
    if (final) reported = true;
    const u = value as Fields;
    if (typeof u.prompt_tokens === "number") {
      const details = u.prompt_tokens_details as { cached_tokens?: unknown } | null | undefined;
      const cached = numberOr(details?.cached_tokens, 0);
      usage.input = u.prompt_tokens - cached;
      usage.cacheRead = cached;
      usage.output = numberOr(u.completion_tokens, usage.output);
      return;
    }
    // Anthropic's message_delta repeats only what changed: keep the rest.
    usage.input = numberOr(u.input_tokens, usage.input);
    usage.cacheRead = numberOr(u.cache_read_input_tokens, usage.cacheRead);
    usage.cacheWrite = numberOr(u.cache_creation_input_tokens, usage.cacheWrite);
    usage.output = numberOr(u.output_tokens, usage.output);
  };
  const readLines = (text: string) => {
    const lines = (pending + text).split("\n");
    pending = lines.pop() ?? "";
    if (skippingLine && lines.length > 0) {
      lines.shift();
      skippingLine = false;
    }
    if (pending.length > maxBuffered) {
      pending = "";
      skippingLine = true;
      truncated = true;
    }
    for (const line of lines) {
      const data = line.startsWith("data:") ? line.slice(5).trim() : undefined;
      if (!data || data === "[DONE]") continue;
      try {
        read(JSON.parse(data));
      } catch {
        // Not JSON: not ours to judge, the client reads it as it is.
      }
    }
  };
  return {
    push(chunk) {
      const text = decoder.decode(chunk, { stream: true });
      if (streamed) readLines(text);
      else if (truncated) return;
      else if (pending.length + text.length > maxBuffered) {
        pending = "";
        truncated = true;
      } else pending += text;
    },
    end() {
      const rest = decoder.decode();
      if (streamed) readLines(`${rest}\n`);
      else if (!truncated) {
        try {
          read(JSON.parse(pending + rest));
        } catch {
          // An error page or an empty body: no usage.
        }
      }
      return usage;
    },
    get truncated() {
      return truncated;
    },
    get reported() {
      return reported;
    },
  };
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}
