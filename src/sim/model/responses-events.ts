import type { AnswerHeader } from "./answer-header.js";
import { responseObject } from "./response-object.js";
import { responseOutputItems } from "./response-output-items.js";
import { responsesUsage } from "./responses-usage.js";
import { textPieces } from "./text-pieces.js";
import type { Completion } from "./to-completion.js";
import type { SseEvent } from "./wire-format.js";

/**
 * The events of a streamed Responses API answer, in OpenAI's order: `response.created`
 * and `response.in_progress`; per output item `response.output_item.added`, its
 * deltas (a message's text inside `response.content_part.added`/`.done`, a function
 * call's `response.function_call_arguments.delta`), the matching `.done` events and
 * `response.output_item.done`; last `response.completed` with the whole response and
 * its usage. Every event carries its type as the SSE event name and a
 * `sequence_number` from 0.
 */
export function responsesEvents(
  completion: Completion,
  header: AnswerHeader,
  echo: Record<string, unknown>,
): SseEvent[] {
  const items = responseOutputItems(completion, header);
  const events: SseEvent[] = [];
  const emit = (type: string, fields: object) =>
    events.push({ event: type, data: { type, sequence_number: events.length, ...fields } });
  const started = responseObject(header, echo, { status: "in_progress", output: [], usage: null });

  emit("response.created", { response: started });
  emit("response.in_progress", { response: started });
  items.forEach((item, outputIndex) => {
    const at = { item_id: item.id, output_index: outputIndex };
    if (item.type === "message") {
      const text = item.content[0]?.text ?? "";
      emit("response.output_item.added", {
        output_index: outputIndex,
        item: {
          id: item.id,
          type: "message",
          status: "in_progress",
          role: "assistant",
          content: [],
        },
      });
      const part = { type: "output_text", annotations: [], logprobs: [] };
      emit("response.content_part.added", { ...at, content_index: 0, part: { ...part, text: "" } });
      for (const delta of textPieces(text, 24)) {
        emit("response.output_text.delta", { ...at, content_index: 0, delta, logprobs: [] });
      }
      emit("response.output_text.done", { ...at, content_index: 0, text, logprobs: [] });
      emit("response.content_part.done", { ...at, content_index: 0, part: { ...part, text } });
    } else {
      emit("response.output_item.added", {
        output_index: outputIndex,
        item: { ...item, status: "in_progress", arguments: "" },
      });
      for (const delta of textPieces(item.arguments, 48)) {
        emit("response.function_call_arguments.delta", { ...at, delta });
      }
      emit("response.function_call_arguments.done", { ...at, arguments: item.arguments });
    }
    emit("response.output_item.done", { output_index: outputIndex, item });
  });
  emit("response.completed", {
    response: responseObject(header, echo, {
      status: "completed",
      output: items,
      usage: responsesUsage(completion.usage),
    }),
  });
  return events;
}
