/** Tokens of one model call, by kind. `input` excludes what was read from the cache. */
export interface CallUsage {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

/**
 * Reads a provider's answer as it streams past, for its usage: OpenAI's chat
 * completions (`usage` in the JSON body, or in the last SSE chunk with
 * `stream_options.include_usage`) and Anthropic's messages (`usage` in the body, or
 * `message_start` then `message_delta` events). The bytes are only read, never changed.
 */
export function createUsageReader(contentType: string): {
  push(chunk: Uint8Array): void;
  end(): CallUsage;
} {
  const decoder = new TextDecoder();
  const usage: CallUsage = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
  const streamed = contentType.includes("text/event-stream");
  let pending = "";
  const read = (data: unknown) => {
    if (!data || typeof data !== "object") return;
    const event = data as Record<string, unknown>;
    // Anthropic: the message's usage comes first, the output count last.
    const message = event.message as { usage?: unknown } | undefined;
    if (event.type === "message_start" && message) take(message.usage);
    else take(event.usage);
  };
  const take = (value: unknown) => {
    if (!value || typeof value !== "object") return;
    const u = value as Record<string, unknown>;
    const n = (key: string) => (typeof u[key] === "number" ? (u[key] as number) : undefined);
    if (n("prompt_tokens") !== undefined) {
      // OpenAI counts cached tokens inside prompt_tokens.
      const details = u.prompt_tokens_details as { cached_tokens?: number } | undefined;
      const cached = details?.cached_tokens ?? 0;
      usage.input = (n("prompt_tokens") ?? 0) - cached;
      usage.cacheRead = cached;
      usage.output = n("completion_tokens") ?? usage.output;
      return;
    }
    usage.input = n("input_tokens") ?? usage.input;
    usage.cacheRead = n("cache_read_input_tokens") ?? usage.cacheRead;
    usage.cacheWrite = n("cache_creation_input_tokens") ?? usage.cacheWrite;
    usage.output = n("output_tokens") ?? usage.output;
  };
  const readLines = (text: string) => {
    const lines = (pending + text).split("\n");
    pending = lines.pop() ?? "";
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
      else pending += text;
    },
    end() {
      const rest = decoder.decode();
      if (streamed) readLines(`${rest}\n`);
      else {
        try {
          read(JSON.parse(pending + rest));
        } catch {
          // An error page or an empty body: no usage.
        }
      }
      return usage;
    },
  };
}
