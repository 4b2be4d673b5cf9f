import { z } from "zod";
import { apiErrorBody } from "./api-error-body.js";
import { chatRequestSchema } from "./chat-request-schema.js";
import { completionBody } from "./completion-body.js";
import { completionChunks } from "./completion-chunks.js";
import { contentText } from "./content-text.js";
import type { WireFormat } from "./wire-format.js";

/**
 * OpenAI chat completions (`POST /v1/chat/completions`), what `@ai-sdk/openai-compatible`
 * speaks. A turn is the number of assistant messages in `messages`. Streams end with
 * `data: [DONE]`; usage is streamed only when `stream_options.include_usage` asks.
 */
export const chatFormat: WireFormat = {
  protocol: "chat",
  idPrefix: "chatcmpl-sim-",
  read(body) {
    const parsed = chatRequestSchema.safeParse(body);
    if (!parsed.success) {
      return { invalid: `Invalid chat completion request: ${z.prettifyError(parsed.error)}` };
    }
    const request = parsed.data;
    return {
      model: request.model,
      stream: request.stream === true,
      includeUsage: request.stream_options?.include_usage === true,
      system: request.messages
        .filter((message) => message.role === "system")
        .map((message) => contentText(message.content)),
      turn: request.messages.filter((message) => message.role === "assistant").length,
      echo: {},
    };
  },
  body: (completion, header) => completionBody(completion, header),
  events: (completion, header, request) => [
    ...completionChunks(completion, header, request.includeUsage).map((data) => ({ data })),
    { data: "[DONE]" },
  ],
  isTextDelta: (event) =>
    typeof event.data === "object" &&
    (event.data as { choices?: Array<{ delta?: { content?: unknown } }> }).choices?.[0]?.delta
      ?.content !== undefined,
  error: apiErrorBody,
};
