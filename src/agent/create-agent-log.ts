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
  | { kind: "agent.error"; data: { message: string } }
  /** The one entry after `maxLogEntries`: what follows is counted, not stored. */
  | { kind: "agent.truncated"; data: { text: string; limit: number } };

/** A session's log: entries to store, and how many were dropped past the limit. */
export type AgentLog = ((event: Event) => AgentLogEntry | undefined) & {
  /** Entries not stored because the log was full. */
  readonly dropped: number;
};

/**
 * Entries one session stores. OpenCode (or a fake server in the sandbox) decides how many
 * tool calls there are; each is a database row kept for days and sent to every viewer.
 */
export const maxLogEntries = 5_000;

/** Longest agent message kept in the log; the status comment and PR carry the rest. */
const maxTextLength = 8_000;
const maxErrorLength = 500;

/**
 * Turns OpenCode's event stream into the few entries worth keeping for people: a
 * finished message, a tool call starting and ending, a new todo list, an error. Text
 * deltas and repeated updates of the same part are dropped, so a run's log stays small
 * (a few rows per tool call) however chatty the stream is. Stateful: one per session.
 * After `limit` entries (default `maxLogEntries`) one `agent.truncated` entry says so and
 * the rest are only counted (`dropped`, an upper bound: ids are no longer remembered,
 * so memory stays bounded too and a repeated update counts again).
 */
export function createAgentLog(directory: string, limit = maxLogEntries): AgentLog {
  const seen = new Set<string>();
  const once = (key: string) => {
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
  let stored = 0;
  let dropped = 0;
  const full = () => true; // past the limit nothing is remembered, so repeats count again
  const log = (event: Event): AgentLogEntry | undefined => {
    const entry = classify(event, stored > limit ? full : once);
    if (!entry) return undefined;
    stored++;
    if (stored <= limit) return entry;
    dropped++;
    if (stored > limit + 1) return undefined;
    seen.clear();
    return {
      kind: "agent.truncated",
      data: {
        text: `Log truncated: Ship stores at most ${limit} entries of an agent session; later tool calls and messages are counted, not shown.`,
        limit,
      },
    };
  };
  const classify = (event: Event, first: (key: string) => boolean): AgentLogEntry | undefined => {
    switch (event.type) {
      case "message.part.updated": {
        const { part } = event.properties;
        if (part.type === "text") {
          const text = part.text.trim();
          if (part.time?.end === undefined || part.synthetic || part.ignored || text === "") {
            return undefined;
          }
          if (!first(`text:${part.id}`)) return undefined;
          return { kind: "agent.message", data: { text: cut(text, maxTextLength) } };
        }
        if (part.type === "tool") {
          const { state } = part;
          if (state.status === "pending" || !first(`tool:${part.callID}:${state.status}`)) {
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
  return Object.defineProperty(log, "dropped", { get: () => dropped }) as AgentLog;
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
