import type { AnswerHeader } from "./answer-header.js";
import { messagesContent } from "./messages-content.js";
import { messagesUsage } from "./messages-usage.js";
import { textPieces } from "./text-pieces.js";
import type { Completion } from "./to-completion.js";
import type { SseEvent } from "./wire-format.js";

/**
 * The events of a streamed Anthropic answer, in the order Anthropic's streaming guide
 * gives: `message_start` (the message with empty content and the input usage, cache
 * counts included), then per content block `content_block_start`, its
 * `content_block_delta`s (`text_delta`, or `input_json_delta` pieces of a tool's
 * input, opening with an empty one as Anthropic's do) and `content_block_stop`, a
 * `ping` after the first block starts, `message_delta` with the stop reason and the
 * cumulative `usage.output_tokens`, and `message_stop`.
 */
export function messagesEvents(completion: Completion, header: AnswerHeader): SseEvent[] {
  const events: SseEvent[] = [];
  const emit = (type: string, fields: object = {}) =>
    events.push({ event: type, data: { type, ...fields } });

  emit("message_start", {
    message: {
      id: header.id,
      type: "message",
      role: "assistant",
      model: header.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      // Anthropic counts the first output token here already; message_delta has the total.
      usage: messagesUsage(completion.usage, Math.min(1, completion.usage.output)),
    },
  });
  const blocks = messagesContent(completion);
  // The tool_use blocks come last, one per call, in order.
  const firstCall = blocks.length - completion.toolCalls.length;
  blocks.forEach((block, index) => {
    if (block.type === "text") {
      emit("content_block_start", { index, content_block: { type: "text", text: "" } });
      if (index === 0) emit("ping");
      for (const text of textPieces(block.text, 24)) {
        emit("content_block_delta", { index, delta: { type: "text_delta", text } });
      }
    } else {
      const { id, name } = block;
      emit("content_block_start", {
        index,
        content_block: { type: "tool_use", id, name, input: {} },
      });
      if (index === 0) emit("ping");
      const json = completion.toolCalls[index - firstCall]?.arguments ?? "";
      for (const partial_json of ["", ...textPieces(json, 48)]) {
        emit("content_block_delta", { index, delta: { type: "input_json_delta", partial_json } });
      }
    }
    emit("content_block_stop", { index });
  });
  emit("message_delta", {
    delta: {
      stop_reason: completion.finishReason === "tool_calls" ? "tool_use" : "end_turn",
      stop_sequence: null,
    },
    usage: { output_tokens: completion.usage.output },
  });
  emit("message_stop");
  return events;
}
