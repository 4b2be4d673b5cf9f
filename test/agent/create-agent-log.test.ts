import { describe, expect, it } from "@jest/globals";
import type { Event, Part, TextPart, ToolState } from "@opencode-ai/sdk/v2/client";
import { createAgentLog } from "../../src/agent/create-agent-log.js";

const repo = "/home/user/repo";
const sessionID = "ses_1";
const messageID = "msg_1";

let nextEventId = 0;

function partUpdated(part: Part): Event {
  nextEventId += 1;
  return {
    id: `evt_${nextEventId}`,
    type: "message.part.updated",
    properties: { sessionID, part, time: 1_700_000_000_000 + nextEventId },
  };
}

function textPart(id: string, text: string, extra: Partial<TextPart> = {}): Event {
  return partUpdated({
    id,
    sessionID,
    messageID,
    type: "text",
    text,
    time: { start: 1, end: 2 },
    ...extra,
  });
}

function toolPart(callID: string, tool: string, state: ToolState): Event {
  return partUpdated({
    id: `prt_${callID}`,
    sessionID,
    messageID,
    type: "tool",
    callID,
    tool,
    state,
  });
}

const writeInput = { filePath: `${repo}/README.md`, content: "# Hello\n" };
const pending: ToolState = { status: "pending", input: {}, raw: "" };
const running: ToolState = { status: "running", input: writeInput, time: { start: 1 } };
const completed: ToolState = {
  status: "completed",
  input: writeInput,
  output: "Wrote file successfully.",
  title: "README.md",
  metadata: {},
  time: { start: 1, end: 2 },
};

describe("createAgentLog", () => {
  it("logs a finished text part once, trimmed", () => {
    const log = createAgentLog(repo);
    expect(log(textPart("prt_a", "  I added a README.\n"))).toEqual({
      kind: "agent.message",
      data: { text: "I added a README." },
    });
    expect(log(textPart("prt_a", "  I added a README.\n"))).toBeUndefined();
  });

  it("logs a streamed text part exactly once, when it ends, with its final text", () => {
    const log = createAgentLog(repo);
    const streamed = ["I", "I added", "I added a README"].map((text) =>
      log(textPart("prt_s", text, { time: { start: 1 } })),
    );
    expect(streamed).toEqual([undefined, undefined, undefined]);
    const entries = [
      log(textPart("prt_s", "I added a README.")),
      log(textPart("prt_s", "I added a README.")),
    ].filter((entry) => entry !== undefined);
    expect(entries).toEqual([{ kind: "agent.message", data: { text: "I added a README." } }]);
  });

  it("keeps different text parts apart", () => {
    const log = createAgentLog(repo);
    expect(log(textPart("prt_1", "First."))?.data).toEqual({ text: "First." });
    expect(log(textPart("prt_2", "Second."))?.data).toEqual({ text: "Second." });
  });

  it("skips text parts without a time, synthetic, ignored or blank", () => {
    const log = createAgentLog(repo);
    expect(log(textPart("prt_1", "No time yet", { time: undefined }))).toBeUndefined();
    expect(log(textPart("prt_2", "Context for the model", { synthetic: true }))).toBeUndefined();
    expect(log(textPart("prt_3", "Ignored", { ignored: true }))).toBeUndefined();
    expect(log(textPart("prt_4", " \n\t "))).toBeUndefined();
  });

  it("cuts very long text with an ellipsis", () => {
    const log = createAgentLog(repo);
    const entry = log(textPart("prt_long", "x".repeat(20_000)));
    expect(entry?.kind).toBe("agent.message");
    const text = entry?.kind === "agent.message" ? entry.data.text : "";
    expect(text.length).toBe(8_000);
    expect(text.endsWith("…")).toBe(true);
    expect(text.startsWith("xxxx")).toBe(true);
  });

  it("logs a tool call starting and completing, once each, however often it updates", () => {
    const log = createAgentLog(repo);
    const entries = [
      log(toolPart("call_1", "write", pending)),
      log(toolPart("call_1", "write", running)),
      log(toolPart("call_1", "write", { ...running, title: "README.md" })),
      log(toolPart("call_1", "write", { ...running, metadata: { progress: 1 } })),
      log(toolPart("call_1", "write", completed)),
      log(toolPart("call_1", "write", completed)),
    ].filter((entry) => entry !== undefined);
    expect(entries).toEqual([
      {
        kind: "agent.tool",
        data: { callId: "call_1", tool: "write", title: "Writing `README.md`", status: "running" },
      },
      {
        kind: "agent.tool",
        data: {
          callId: "call_1",
          tool: "write",
          title: "Writing `README.md`",
          status: "completed",
        },
      },
    ]);
  });

  it("skips a pending tool call", () => {
    const log = createAgentLog(repo);
    expect(log(toolPart("call_1", "bash", pending))).toBeUndefined();
    expect(
      log(toolPart("call_1", "bash", { ...pending, raw: '{"command":"ls"}' })),
    ).toBeUndefined();
  });

  it("logs a failed tool call with its error", () => {
    const log = createAgentLog(repo);
    const input = { command: "npm test" };
    expect(
      log(toolPart("call_2", "bash", { status: "running", input, time: { start: 1 } })),
    ).toEqual({
      kind: "agent.tool",
      data: { callId: "call_2", tool: "bash", title: "Running `npm test`", status: "running" },
    });
    const error: ToolState = {
      status: "error",
      input,
      error: "Command exited with code 1",
      time: { start: 1, end: 2 },
    };
    expect(log(toolPart("call_2", "bash", error))).toEqual({
      kind: "agent.tool",
      data: {
        callId: "call_2",
        tool: "bash",
        title: "Running `npm test`",
        status: "error",
        error: "Command exited with code 1",
      },
    });
    expect(log(toolPart("call_2", "bash", error))).toBeUndefined();
  });

  it("cuts a long tool error", () => {
    const log = createAgentLog(repo);
    const entry = log(
      toolPart("call_3", "bash", {
        status: "error",
        input: { command: "make" },
        error: "e".repeat(2_000),
        time: { start: 1, end: 2 },
      }),
    );
    const error = entry?.kind === "agent.tool" ? (entry.data.error ?? "") : "";
    expect(error.length).toBe(500);
    expect(error.endsWith("…")).toBe(true);
  });

  it("keeps separate tool calls apart", () => {
    const log = createAgentLog(repo);
    const read = (filePath: string): ToolState => ({
      status: "running",
      input: { filePath },
      time: { start: 1 },
    });
    expect(log(toolPart("call_a", "read", read(`${repo}/src/a.ts`)))?.data).toMatchObject({
      callId: "call_a",
      title: "Reading `src/a.ts`",
    });
    expect(log(toolPart("call_b", "read", read("/etc/hosts")))?.data).toMatchObject({
      callId: "call_b",
      title: "Reading `/etc/hosts`",
    });
  });

  it("logs a todo list with its items' content, status and priority", () => {
    const log = createAgentLog(repo);
    const event: Event = {
      id: "evt_todo",
      type: "todo.updated",
      properties: {
        sessionID,
        todos: [
          { content: "Write the changelog", status: "in_progress", priority: "high" },
          { content: "Mention the release", status: "pending", priority: "low" },
        ],
      },
    };
    expect(log(event)).toEqual({
      kind: "agent.todos",
      data: {
        todos: [
          { content: "Write the changelog", status: "in_progress", priority: "high" },
          { content: "Mention the release", status: "pending", priority: "low" },
        ],
      },
    });
  });

  it("logs a session error with its message, or its name, or 'error'", () => {
    const log = createAgentLog(repo);
    const withMessage: Event = {
      id: "evt_err1",
      type: "session.error",
      properties: {
        sessionID,
        error: { name: "UnknownError", data: { message: "Rate limit exceeded" } },
      },
    };
    expect(log(withMessage)).toEqual({
      kind: "agent.error",
      data: { message: "Rate limit exceeded" },
    });
    const withoutMessage = {
      id: "evt_err2",
      type: "session.error",
      properties: { sessionID, error: { name: "MessageAbortedError", data: {} } },
    } as unknown as Event;
    expect(log(withoutMessage)).toEqual({
      kind: "agent.error",
      data: { message: "MessageAbortedError" },
    });
    const withoutError: Event = {
      id: "evt_err3",
      type: "session.error",
      properties: { sessionID },
    };
    expect(log(withoutError)).toEqual({ kind: "agent.error", data: { message: "error" } });
  });

  it("ignores deltas, status changes and other events", () => {
    const log = createAgentLog(repo);
    const delta: Event = {
      id: "evt_d",
      type: "message.part.delta",
      properties: { sessionID, messageID, partID: "prt_a", field: "text", delta: "Hel" },
    };
    const status: Event = {
      id: "evt_s",
      type: "session.status",
      properties: { sessionID, status: { type: "busy" } },
    };
    const idle: Event = {
      id: "evt_i",
      type: "session.status",
      properties: { sessionID, status: { type: "idle" } },
    };
    expect(log(delta)).toBeUndefined();
    expect(log(status)).toBeUndefined();
    expect(log(idle)).toBeUndefined();
  });

  it("ignores parts other than text and tool calls", () => {
    const log = createAgentLog(repo);
    const reasoning = partUpdated({
      id: "prt_r",
      sessionID,
      messageID,
      type: "reasoning",
      text: "Thinking about it",
      time: { start: 1, end: 2 },
    });
    expect(log(reasoning)).toBeUndefined();
  });
});
