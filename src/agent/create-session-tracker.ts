import type {
  AssistantMessage,
  Event,
  Message,
  Part,
  Session,
  TextPart,
} from "@opencode-ai/sdk/v2/client";
import type { OpencodeSessionError } from "./classify-agent-error.js";
import { describeToolCall } from "./describe-tool-call.js";

/** One item of the agent's todo list (OpenCode's `todowrite`). */
export interface AgentTodo {
  content: string;
  /** pending, in_progress, completed or cancelled. */
  status: string;
  /** high, medium or low. */
  priority: string;
}

/** What the agent is doing, for the live status comment. */
export interface AgentActivity {
  /** The latest tool call in plain words (Markdown), e.g. "Editing `README.md`". */
  text: string | undefined;
  /** The todo list as the agent last wrote it; empty until it uses `todowrite`. */
  todos: AgentTodo[];
}

/** Tokens and money a run has used, summed over its sessions' assistant messages. */
export interface AgentUsage {
  /** Uncached input tokens. */
  input: number;
  output: number;
  /** Input tokens read from the provider's cache. */
  cacheRead: number;
  /** Dollars, as OpenCode prices the model (0 when the model has no cost config). */
  cost: number;
}

/** A finished agent response: its message and the agent's own words. */
export interface FinishedResponse {
  messageID: string;
  text: string;
}

/** What one event (or one catch-up) changed for the run. */
export interface TrackerChanges {
  /** Set when the activity changed; the whole current activity. */
  activity?: AgentActivity;
  /** Responses that finished with this event, in order. */
  responses: FinishedResponse[];
  /**
   * Set when the run is over: the session went idle (or failed before it started).
   * `error` is undefined when it ended with a finished response.
   */
  outcome?: { error: OpencodeSessionError | undefined };
}

/** Follows one run's session (and its sub-agents' sessions) through OpenCode's events. */
export interface SessionTracker {
  /** The event is about the run's session or one of its sub-agents' sessions. */
  concerns(event: Event): boolean;
  apply(event: Event): TrackerChanges;
  /**
   * Catches up from the session's messages as `session.messages` returns them (after
   * events were missed); `idle` says whether OpenCode reports the session as idle.
   */
  catchUp(messages: ReadonlyArray<{ info: Message; parts: Part[] }>, idle: boolean): TrackerChanges;
  usage(): AgentUsage;
}

/**
 * Assistant-message finishes that end OpenCode's agent loop normally (opencode
 * 1.18.33 `SessionPrompt.loop`: it exits once the latest assistant message has a
 * finish other than "tool-calls"/"unknown"). "content-filter" and "error" end it too,
 * but as failures.
 */
const failedFinishes = new Set(["tool-calls", "unknown", "content-filter", "error"]);

/**
 * The run's state as OpenCode's events tell it. A FINISHED RESPONSE is an assistant
 * message of the run's own session that is completed, has a finish that ends the
 * agent loop, no error, and is not a compaction summary: the agent ended its turn and
 * said what it did. The run is over at `session.idle`: a success if the latest
 * assistant message is a finished response, else the last `session.error` (errors
 * OpenCode recovers from, such as a context overflow it compacts away, come before a
 * later finished response and so do not count). An error before the session ever
 * became busy ends the run at once: the agent loop never started, so no idle follows.
 */
export function createSessionTracker(session: Pick<Session, "id" | "directory">): SessionTracker {
  const sessions = new Set([session.id]);
  const assistants = new Map<string, AssistantMessage>();
  const texts = new Map<string, Map<string, TextPart>>();
  const reported = new Set<string>();
  let latestAssistant: string | undefined;
  let error: OpencodeSessionError | undefined;
  let busy = false;
  let over = false;
  let activity: AgentActivity = { text: undefined, todos: [] };
  let awaitingText: string | undefined;

  const sessionOf = (event: Event): string | undefined => {
    const { sessionID } = event.properties as { sessionID?: unknown };
    return typeof sessionID === "string" ? sessionID : undefined;
  };

  function recordMessage(info: Message): FinishedResponse | undefined {
    if (info.role !== "assistant") return undefined;
    assistants.set(info.id, info);
    if (info.sessionID !== session.id) return undefined;
    if (latestAssistant === undefined || info.id > latestAssistant) latestAssistant = info.id;
    if (!isFinished(info) || reported.has(info.id)) return undefined;
    // A message can be reported finished before its text parts arrive (events race, or
    // were missed while reconnecting): wait for its text, or for the session to end.
    if (textOf(info.id) === "") {
      awaitingText = info.id;
      return undefined;
    }
    return report(info.id);
  }

  function report(messageID: string): FinishedResponse {
    reported.add(messageID);
    if (awaitingText === messageID) awaitingText = undefined;
    return { messageID, text: responseText(messageID) };
  }

  /** The session ended: a finished response still waiting for its text is reported now. */
  function settle(changes: TrackerChanges): TrackerChanges["outcome"] {
    if (awaitingText !== undefined && !reported.has(awaitingText))
      changes.responses.push(report(awaitingText));
    return finish();
  }

  function recordText(part: TextPart): void {
    let parts = texts.get(part.messageID);
    if (!parts) {
      parts = new Map();
      texts.set(part.messageID, parts);
    }
    parts.set(part.id, part);
  }

  /** The message's own text, or else the latest words the agent said in this session. */
  function responseText(messageID: string): string {
    const own = textOf(messageID);
    if (own !== "") return own;
    const earlier = [...assistants.values()]
      .filter((info) => info.sessionID === session.id && info.id < messageID)
      .sort((a, b) => (a.id < b.id ? 1 : -1));
    for (const info of earlier) {
      const text = textOf(info.id);
      if (text !== "") return text;
    }
    return "";
  }

  function textOf(messageID: string): string {
    return [...(texts.get(messageID)?.values() ?? [])]
      .filter((part) => !part.synthetic && !part.ignored)
      .map((part) => part.text.trim())
      .filter((text) => text !== "")
      .join("\n\n");
  }

  function finish(): TrackerChanges["outcome"] {
    over = true;
    const latest = latestAssistant ? assistants.get(latestAssistant) : undefined;
    if (latest && isFinished(latest)) return { error: undefined };
    if (latest?.error) return { error: latest.error };
    if (error) return { error };
    const finishReason = latest?.finish ?? "none";
    return {
      error: {
        name: "UnknownError",
        data: {
          message: `OpenCode went idle before the agent finished its response (last finish: ${finishReason})`,
        },
      },
    };
  }

  function setActivity(next: Partial<AgentActivity>): AgentActivity | undefined {
    const updated = { ...activity, ...next };
    if (JSON.stringify(updated) === JSON.stringify(activity)) return undefined;
    activity = updated;
    return activity;
  }

  return {
    concerns(event) {
      const id = sessionOf(event);
      if (id !== undefined && sessions.has(id)) return true;
      // A sub-agent's session announces itself with its parent's id.
      if (event.type === "session.created" || event.type === "session.updated") {
        const parent = event.properties.info.parentID;
        if (parent !== undefined && sessions.has(parent)) {
          sessions.add(event.properties.info.id);
          return true;
        }
      }
      return false;
    },

    apply(event) {
      const changes: TrackerChanges = { responses: [] };
      if (over) return changes;
      const root = sessionOf(event) === session.id;
      switch (event.type) {
        case "message.updated": {
          const response = recordMessage(event.properties.info);
          if (response) changes.responses.push(response);
          break;
        }
        case "message.part.updated": {
          const { part } = event.properties;
          if (part.type === "text") {
            recordText(part);
            if (part.messageID === awaitingText && textOf(awaitingText) !== "") {
              changes.responses.push(report(awaitingText));
            }
          }
          if (part.type === "tool" && part.state.status === "running") {
            const text = describeToolCall(part.tool, part.state.input, session.directory);
            const changed = setActivity({ text });
            if (changed) changes.activity = changed;
          }
          break;
        }
        case "todo.updated": {
          if (!root) break;
          const todos = event.properties.todos.map(({ content, status, priority }) => ({
            content,
            status,
            priority,
          }));
          const changed = setActivity({ todos });
          if (changed) changes.activity = changed;
          break;
        }
        case "session.status":
          if (!root) break;
          if (event.properties.status.type !== "idle") busy = true;
          else if (busy) changes.outcome = settle(changes);
          break;
        case "session.idle":
          if (root && busy) changes.outcome = settle(changes);
          break;
        case "session.error":
          if (!root) break;
          error = event.properties.error ?? {
            name: "UnknownError",
            data: { message: "OpenCode reported an error without details" },
          };
          if (!busy) changes.outcome = settle(changes);
          break;
      }
      return changes;
    },

    catchUp(messages, idle) {
      const changes: TrackerChanges = { responses: [] };
      if (over) return changes;
      for (const { info, parts } of messages) {
        for (const part of parts) if (part.type === "text") recordText(part);
        if (info.role === "assistant" && info.time.completed === undefined) busy = true;
        const response = recordMessage(info);
        if (response) changes.responses.push(response);
      }
      const latest = latestAssistant ? assistants.get(latestAssistant) : undefined;
      // Idle with a completed latest answer: the run ended while events were missed.
      if (idle && latest?.time.completed !== undefined) changes.outcome = settle(changes);
      return changes;
    },

    usage() {
      const usage: AgentUsage = { input: 0, output: 0, cacheRead: 0, cost: 0 };
      for (const info of assistants.values()) {
        usage.input += info.tokens.input;
        usage.output += info.tokens.output;
        usage.cacheRead += info.tokens.cache.read;
        usage.cost += info.cost;
      }
      return usage;
    },
  };
}

function isFinished(info: AssistantMessage): boolean {
  return (
    info.time.completed !== undefined &&
    info.finish !== undefined &&
    !failedFinishes.has(info.finish) &&
    info.error === undefined &&
    !info.summary
  );
}
