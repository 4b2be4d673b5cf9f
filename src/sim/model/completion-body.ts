import type { AnswerHeader } from "./answer-header.js";
import { chatUsage } from "./chat-usage.js";
import type { Completion } from "./to-completion.js";

/** The `chat.completion` object of a non-streamed answer. */
export function completionBody(completion: Completion, header: AnswerHeader): object {
  return {
    ...header,
    object: "chat.completion",
    system_fingerprint: null,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          // OpenAI sends null, not "", when a tool-calling answer has no text.
          content:
            completion.text === "" && completion.toolCalls.length > 0 ? null : completion.text,
          refusal: null,
          ...(completion.toolCalls.length > 0
            ? {
                tool_calls: completion.toolCalls.map((call) => ({
                  id: call.id,
                  type: "function",
                  function: { name: call.name, arguments: call.arguments },
                })),
              }
            : {}),
        },
        logprobs: null,
        finish_reason: completion.finishReason,
      },
    ],
    usage: chatUsage(completion.usage),
  };
}
