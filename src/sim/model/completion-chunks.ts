import type { AnswerHeader } from "./answer-header.js";
import { chatUsage } from "./chat-usage.js";
import { textPieces } from "./text-pieces.js";
import type { Completion } from "./to-completion.js";

/**
 * The `chat.completion.chunk` objects of a streamed answer, in order, each to be sent
 * as one SSE `data:` line (the caller adds `[DONE]`). Text and tool arguments arrive
 * in small pieces so a client that does not join deltas fails. With `includeUsage`
 * every chunk carries `usage: null` and a last chunk with no choices carries the
 * usage, as OpenAI does for `stream_options.include_usage`.
 */
export function completionChunks(
  completion: Completion,
  header: AnswerHeader,
  includeUsage: boolean,
): object[] {
  const base = { ...header, object: "chat.completion.chunk", system_fingerprint: null };
  const chunk = (delta: object, finishReason: string | null = null) => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(includeUsage ? { usage: null } : {}),
  });

  const chunks: object[] = [chunk({ role: "assistant", content: "" })];
  for (const piece of textPieces(completion.text, 24)) chunks.push(chunk({ content: piece }));
  completion.toolCalls.forEach((call, index) => {
    chunks.push(
      chunk({
        tool_calls: [
          { index, id: call.id, type: "function", function: { name: call.name, arguments: "" } },
        ],
      }),
    );
    for (const piece of textPieces(call.arguments, 48)) {
      chunks.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  });
  chunks.push(chunk({}, completion.finishReason));
  if (includeUsage) chunks.push({ ...base, choices: [], usage: chatUsage(completion.usage) });
  return chunks;
}
