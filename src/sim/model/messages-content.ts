import type { Completion } from "./to-completion.js";

/** A content block of an Anthropic answer. */
export type MessagesContentBlock =
  | { type: "text"; text: string }
  | { type: "tool_use"; id: string; name: string; input: unknown };

/**
 * The `content` of an Anthropic answer: a text block (left out when a tool-calling
 * answer has no text), then one `tool_use` block per call. `input` is the parsed
 * arguments; scripted malformed JSON stays a string, which a client must refuse.
 */
export function messagesContent(completion: Completion): MessagesContentBlock[] {
  const blocks: MessagesContentBlock[] = [];
  if (completion.text !== "" || completion.toolCalls.length === 0) {
    blocks.push({ type: "text", text: completion.text });
  }
  for (const call of completion.toolCalls) {
    blocks.push({ type: "tool_use", id: call.id, name: call.name, input: parsed(call.arguments) });
  }
  return blocks;
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
