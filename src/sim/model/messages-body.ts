import type { AnswerHeader } from "./answer-header.js";
import { messagesContent } from "./messages-content.js";
import { messagesUsage } from "./messages-usage.js";
import type { Completion } from "./to-completion.js";

/** The `message` object of a non-streamed Anthropic answer. */
export function messagesBody(completion: Completion, header: AnswerHeader): object {
  return {
    id: header.id,
    type: "message",
    role: "assistant",
    model: header.model,
    content: messagesContent(completion),
    stop_reason: completion.finishReason === "tool_calls" ? "tool_use" : "end_turn",
    stop_sequence: null,
    usage: messagesUsage(completion.usage),
  };
}
