import type { ReplyStep, ToolCallsStep } from "./script-step.js";

/** What one answering step says, in the terms of OpenAI's wire format. */
export interface Completion {
  text: string;
  toolCalls: Array<{ id: string; name: string; arguments: string }>;
  finishReason: "stop" | "tool_calls";
  usage: {
    prompt_tokens: number;
    completion_tokens: number;
    total_tokens: number;
    prompt_tokens_details: { cached_tokens: number };
    completion_tokens_details: { reasoning_tokens: number };
  };
}

const defaultUsage = { input: 100, output: 20, cacheRead: 0 };

/**
 * Turns a reply or tool-calls step into the completion both the streaming and the
 * plain response render. Tool-call ids default to `call_<turn>_<position>` so a
 * retried turn repeats them.
 */
export function toCompletion(step: ReplyStep | ToolCallsStep, turn: number): Completion {
  const { input, output, cacheRead = 0 } = step.usage ?? defaultUsage;
  const usage = {
    // OpenAI counts cached tokens inside prompt_tokens; OpenCode subtracts them again.
    prompt_tokens: input + cacheRead,
    completion_tokens: output,
    total_tokens: input + cacheRead + output,
    prompt_tokens_details: { cached_tokens: cacheRead },
    completion_tokens_details: { reasoning_tokens: 0 },
  };
  if ("reply" in step) return { text: step.reply, toolCalls: [], finishReason: "stop", usage };
  return {
    text: step.text ?? "",
    toolCalls: step.toolCalls.map((call, position) => ({
      id: call.id ?? `call_${turn}_${position}`,
      name: call.name,
      arguments:
        typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments),
    })),
    finishReason: "tool_calls",
    usage,
  };
}
