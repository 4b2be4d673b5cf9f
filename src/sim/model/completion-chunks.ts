import type { Completion } from "./to-completion.js";

/** Identifies one response; every chunk of it repeats these, as OpenAI's do. */
export interface ChunkHeader {
  id: string;
  model: string;
  /** Unix seconds. */
  created: number;
}

/**
 * The `chat.completion.chunk` objects of a streamed answer, in order, each to be sent
 * as one SSE `data:` line (the caller adds `[DONE]`). Text and tool arguments arrive
 * in small pieces so a client that does not join deltas fails. With `includeUsage`
 * every chunk carries `usage: null` and a last chunk with no choices carries the
 * usage, as OpenAI does for `stream_options.include_usage`.
 */
export function completionChunks(
  completion: Completion,
  header: ChunkHeader,
  includeUsage: boolean,
): object[] {
  const base = { ...header, object: "chat.completion.chunk", system_fingerprint: null };
  const chunk = (delta: object, finishReason: string | null = null) => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(includeUsage ? { usage: null } : {}),
  });

  const chunks: object[] = [chunk({ role: "assistant", content: "" })];
  for (const piece of pieces(completion.text, 24)) chunks.push(chunk({ content: piece }));
  completion.toolCalls.forEach((call, index) => {
    chunks.push(
      chunk({
        tool_calls: [
          { index, id: call.id, type: "function", function: { name: call.name, arguments: "" } },
        ],
      }),
    );
    for (const piece of pieces(call.arguments, 48)) {
      chunks.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  });
  chunks.push(chunk({}, completion.finishReason));
  if (includeUsage) chunks.push({ ...base, choices: [], usage: completion.usage });
  return chunks;
}

/** Splits on code points, never inside a surrogate pair. */
function pieces(text: string, size: number): string[] {
  const codePoints = Array.from(text);
  const result: string[] = [];
  for (let start = 0; start < codePoints.length; start += size) {
    result.push(codePoints.slice(start, start + size).join(""));
  }
  return result;
}
