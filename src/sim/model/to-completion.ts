import type { ReplyStep, ScriptedUsage, ToolCallsStep } from "./script-step.js";

/** Token counts of one answer, in the script's terms (see `ScriptedUsage`). */
export interface CompletionUsage {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

/** What one answering step says, before any wire format renders it. */
export interface Completion {
  text: string;
  /** `arguments` is JSON text (or whatever malformed text the script gave). */
  toolCalls: Array<{ id: string; name: string; arguments: string }>;
  /** Why the model stopped: it is done, or it waits for tool results. */
  finishReason: "stop" | "tool_calls";
  usage: CompletionUsage;
}

const defaultUsage: ScriptedUsage = { input: 100, output: 20 };

/**
 * Turns a reply or tool-calls step into the completion every wire format renders
 * (streamed or not). Tool-call ids default to `call_<turn>_<position>` so a retried
 * turn repeats them.
 */
export function toCompletion(step: ReplyStep | ToolCallsStep, turn: number): Completion {
  const { input, output, cacheRead = 0, cacheWrite = 0 } = step.usage ?? defaultUsage;
  const usage = { input, output, cacheRead, cacheWrite };
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
