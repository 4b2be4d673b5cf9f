import type { AnswerHeader } from "./answer-header.js";
import type { Completion } from "./to-completion.js";

/** A finished output item of a response, as `output` and `response.output_item.done` carry it. */
export type ResponseOutputItem =
  | {
      id: string;
      type: "message";
      status: "completed";
      role: "assistant";
      content: Array<{ type: "output_text"; text: string; annotations: []; logprobs: [] }>;
    }
  | {
      id: string;
      type: "function_call";
      status: "completed";
      call_id: string;
      name: string;
      arguments: string;
    };

/**
 * The `output` of a response: an assistant message with the text (left out when a
 * tool-calling answer has none, as OpenAI does), then one `function_call` per tool
 * call. The script's tool-call id is the `call_id` the client sends back with the
 * tool's `function_call_output`; the item ids are the response's own.
 */
export function responseOutputItems(
  completion: Completion,
  header: AnswerHeader,
): ResponseOutputItem[] {
  const suffix = header.id.replace(/^resp_/, "");
  const items: ResponseOutputItem[] = [];
  if (completion.text !== "" || completion.toolCalls.length === 0) {
    items.push({
      id: `msg_${suffix}`,
      type: "message",
      status: "completed",
      role: "assistant",
      content: [{ type: "output_text", text: completion.text, annotations: [], logprobs: [] }],
    });
  }
  completion.toolCalls.forEach((call, index) => {
    items.push({
      id: `fc_${suffix}_${index}`,
      type: "function_call",
      status: "completed",
      call_id: call.id,
      name: call.name,
      arguments: call.arguments,
    });
  });
  return items;
}
