import type { Event } from "@opencode-ai/sdk/v2/client";
import type { AgentTodo } from "./create-session-tracker.js";
import { describeToolCall } from "./describe-tool-call.js";

/** One line of a run's agent log, as the run page shows it. */
export type AgentLogEntry =
  | { kind: "agent.message"; data: { text: string } }
  | {
      kind: "agent.tool";
      data: {
        callId: string;
        tool: string;
        /** The call in plain words (Markdown code spans), e.g. "Editing `README.md`". */
        title: string;
        status: "running" | "completed" | "error";
        error?: string;
      };
    }
  | { kind: "agent.todos"; data: { todos: AgentTodo[] } }
  | { kind: "agent.error"; data: { message: string } };

/** Longest agent message kept in the log; the status comment and PR carry the rest. */
const maxTextLength = 8_000;
const maxErrorLength = 500;

/**
 * Turns OpenCode's event stream into the few entries worth keeping for people: a
 * finished message, a tool call starting and ending, a new todo list, an error. Text
 * deltas and repeated updates of the same part are dropped, so a run's log stays small
 * (a few rows per tool call) however chatty the stream is. Stateful: one per session.
 */
export function createAgentLog(directory: string): (event: Event) => AgentLogEntry | undefined {
  const seen = new Set<string>();
  const once = (key: string) => {
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
  return (event) => {
    switch (event.type) {
      case "message.part.updated": {
        const { part } = event.properties;
        if (part.type === "text") {
          const text = part.text.trim();
          if (part.time?.end === undefined || part.synthetic || part.ignored || text === "") {
            return undefined;
          }
          if (!once(`text:${part.id}`)) return undefined;
          return { kind: "agent.message", data: { text: cut(text, maxTextLength) } };
        }
        if (part.type === "tool") {
          const { state } = part;
          if (state.status === "pending" || !once(`tool:${part.callID}:${state.status}`)) {
            return undefined;
          }
          return {
            kind: "agent.tool",
            data: {
              callId: part.callID,
              tool: part.tool,
              title: describeToolCall(part.tool, state.input, directory),
              status: state.status,
              ...(state.status === "error" ? { error: cut(state.error, maxErrorLength) } : {}),
            },
          };
        }
        return undefined;
      }
      case "todo.updated":
        return {
          kind: "agent.todos",
          data: {
            todos: event.properties.todos.map(({ content, status, priority }) => ({
              content,
              status,
              priority,
            })),
          },
        };
      case "session.error": {
        const error = event.properties.error as { name?: string; data?: { message?: unknown } };
        const message =
          typeof error?.data?.message === "string" ? error.data.message : (error?.name ?? "error");
        return { kind: "agent.error", data: { message: cut(message, maxErrorLength) } };
      }
      default:
        return undefined;
    }
  };
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
