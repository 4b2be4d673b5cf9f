import { z } from "zod";
import { anthropicErrorBody } from "./anthropic-error-body.js";
import { contentText } from "./content-text.js";
import { messagesBody } from "./messages-body.js";
import { messagesEvents } from "./messages-events.js";
import { messagesRequestSchema } from "./messages-request-schema.js";
import type { WireFormat } from "./wire-format.js";

/**
 * Anthropic Messages (`POST /v1/messages`), what OpenCode's `anthropic` provider
 * (`@ai-sdk/anthropic`) speaks. A turn is the number of assistant messages (tool
 * results travel in user messages). Usage comes in `message_start` (input and cache
 * counts) and `message_delta` (output); errors in Anthropic's own shape.
 */
export const messagesFormat: WireFormat = {
  protocol: "messages",
  idPrefix: "msg_sim_",
  read(body) {
    const parsed = messagesRequestSchema.safeParse(body);
    if (!parsed.success) {
      return { invalid: `Invalid Messages API request: ${z.prettifyError(parsed.error)}` };
    }
    const request = parsed.data;
    return {
      model: request.model,
      stream: request.stream === true,
      includeUsage: true,
      system: request.system === undefined ? [] : [contentText(request.system)],
      turn: request.messages.filter((message) => message.role === "assistant").length,
      echo: {},
    };
  },
  body: (completion, header) => messagesBody(completion, header),
  events: (completion, header) => messagesEvents(completion, header),
  isTextDelta: (event) =>
    event.event === "content_block_delta" &&
    (event.data as { delta?: { type?: string } }).delta?.type === "text_delta",
  error: anthropicErrorBody,
};
