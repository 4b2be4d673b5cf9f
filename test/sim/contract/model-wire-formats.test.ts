// The model sim's answers against the providers' documented wire formats: every
// streamed event and every body is validated with schemas written from OpenAI's and
// Anthropic's API references (test/sim/model/*-schemas.ts), the event order against
// their streaming guides, and the usage each carries against what the gateway reads.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createUsageReader } from "../../../src/gateway/create-usage-reader.js";
import type { ScriptStep } from "../../../src/sim/model/script-step.js";
import { type ModelServer, startModelServer } from "../../../src/sim/model/start-model-server.js";
import type { ModelProtocol } from "../../../src/sim/model/wire-format.js";
import { testLogger } from "../../helpers/test-logger.js";
import {
  type MessagesEvent,
  anthropicMessagesSchemas as messages,
} from "../model/anthropic-messages-schemas.js";
import { openaiChatSchemas as chat } from "../model/openai-chat-schemas.js";
import {
  type ResponsesEvent,
  openaiResponsesSchemas as responses,
} from "../model/openai-responses-schemas.js";
import { readSse, type WireEvent } from "../model/read-sse.js";

const usage = { input: 1_200, output: 80, cacheRead: 300, cacheWrite: 40 };
const longText = "A reply long enough to arrive in several pieces: ünïcödé 👍🏽 and all.";
const write = { name: "write", arguments: { filePath: "a.txt", content: "a\n".repeat(40) } };
const bash = { name: "bash", arguments: { command: "ls" } };

/** What each scripted step means, whatever the format. */
const steps: Record<string, { step: ScriptStep; text: string; calls: string[] }> = {
  reply: { step: { reply: longText, usage }, text: longText, calls: [] },
  "text and two tool calls": {
    step: { text: "Writing both.", toolCalls: [write, bash], usage },
    text: "Writing both.",
    calls: ["write", "bash"],
  },
  "a tool call alone": { step: { toolCalls: [write], usage }, text: "", calls: ["write"] },
};

const protocols: ModelProtocol[] = ["chat", "responses", "messages"];
const paths: Record<ModelProtocol, string> = {
  chat: "/chat/completions",
  responses: "/responses",
  messages: "/messages",
};

/** A first-turn request as OpenCode's provider package sends it in each format. */
function request(protocol: ModelProtocol, model: string, stream: boolean, extra: object = {}) {
  const system = "You are a scripted assistant.";
  if (protocol === "chat") {
    return {
      model,
      messages: [
        { role: "system", content: system },
        { role: "user", content: "Hi" },
      ],
      stream,
      ...(stream ? { stream_options: { include_usage: true } } : {}),
      ...extra,
    };
  }
  if (protocol === "responses") {
    return {
      model,
      input: [
        { role: "system", content: system },
        { role: "user", content: [{ type: "input_text", text: "Hi" }] },
      ],
      store: false,
      tool_choice: "auto",
      stream,
      ...extra,
    };
  }
  return {
    model,
    max_tokens: 32_000,
    system: [{ type: "text", text: system }],
    messages: [{ role: "user", content: [{ type: "text", text: "Hi" }] }],
    stream,
    ...extra,
  };
}

let server: ModelServer;

beforeAll(async () => {
  server = await startModelServer({ log: testLogger() });
  for (const [name, { step }] of Object.entries(steps)) server.setScript(name, [step]);
  for (const status of [400, 401, 404, 429, 500, 529]) {
    server.setScript(`error-${status}`, [{ error: { status, message: `Scripted ${status}` } }]);
  }
});

afterAll(async () => {
  await server.stop();
});

async function post(protocol: ModelProtocol, body: object) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (protocol === "messages")
    Object.assign(headers, { "x-api-key": "sim", "anthropic-version": "2023-06-01" });
  else headers.authorization = "Bearer sim";
  const response = await fetch(`${server.baseUrl}${paths[protocol]}`, {
    method: "POST",
    headers,
    body: JSON.stringify(body),
  });
  return { response, text: await response.text() };
}

/** What the gateway records for this answer. */
function recorded(contentType: string, text: string) {
  const reader = createUsageReader(contentType);
  reader.push(new TextEncoder().encode(text));
  return reader.end();
}

/** OpenAI has no cache writes: the sim sends them as plain input, and so they are counted. */
function expectedUsage(protocol: ModelProtocol) {
  return protocol === "messages"
    ? {
        input: usage.input,
        output: usage.output,
        cacheRead: usage.cacheRead,
        cacheWrite: usage.cacheWrite,
      }
    : {
        input: usage.input + usage.cacheWrite,
        output: usage.output,
        cacheRead: usage.cacheRead,
        cacheWrite: 0,
      };
}

interface Meaning {
  text: string;
  calls: Array<{ id: string; name: string; arguments: unknown }>;
}

/** Validates a chat stream (schemas and the rules of include_usage); returns its meaning. */
function chatStream(events: WireEvent[], includeUsage: boolean): Meaning {
  expect(events.at(-1)).toEqual({ data: "[DONE]" });
  const chunks = events.slice(0, -1).map((event) => {
    expect(event.event).toBeUndefined();
    return chat.chunk.parse(event.data);
  });
  expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
  expect(chunks[0]?.choices[0]?.delta.role).toBe("assistant");
  const withChoices = includeUsage ? chunks.slice(0, -1) : chunks;
  if (includeUsage) {
    expect(withChoices.every((c) => c.usage === null)).toBe(true);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: expect.any(Object) });
  } else {
    expect(chunks.every((c) => !("usage" in c))).toBe(true);
  }
  const finishes = withChoices.map((c) => c.choices[0]?.finish_reason ?? null);
  expect(finishes.slice(0, -1).every((f) => f === null)).toBe(true);
  expect(finishes.at(-1)).not.toBeNull();
  const calls = new Map<number, { id: string; name: string; arguments: string }>();
  let text = "";
  for (const delta of withChoices.map((c) => c.choices[0]?.delta)) {
    text += delta?.content ?? "";
    for (const call of delta?.tool_calls ?? []) {
      const current = calls.get(call.index);
      if (!current) {
        // The first delta of a call names it; later ones only add arguments.
        expect(call).toMatchObject({ id: expect.any(String), type: "function" });
        calls.set(call.index, {
          id: call.id ?? "",
          name: call.function.name ?? "",
          arguments: call.function.arguments ?? "",
        });
      } else {
        expect(call.id).toBeUndefined();
        current.arguments += call.function.arguments ?? "";
      }
    }
  }
  return {
    text,
    calls: [...calls.values()].map((c) => ({ ...c, arguments: JSON.parse(c.arguments) })),
  };
}

/** Validates a Responses stream (schemas, sequence, item lifecycle); returns its meaning. */
function responsesStream(wire: WireEvent[]): Meaning {
  const events: ResponsesEvent[] = wire.map((event, index) => {
    const parsed = responses.event.parse(event.data);
    expect(event.event).toBe(parsed.type);
    expect(parsed.sequence_number).toBe(index);
    return parsed;
  });
  const types = events.map((e) => e.type);
  expect(types.slice(0, 2)).toEqual(["response.created", "response.in_progress"]);
  expect(types.at(-1)).toBe("response.completed");
  expect(types.filter((t) => t.startsWith("response.") && !t.includes(".", 9))).toHaveLength(3);
  const created = events[0] as Extract<ResponsesEvent, { type: "response.created" }>;
  expect(created.response).toMatchObject({ status: "in_progress", output: [], usage: null });
  const completed = events.at(-1) as Extract<ResponsesEvent, { type: "response.completed" }>;
  expect(completed.response.status).toBe("completed");
  expect(completed.response.id).toBe(created.response.id);

  // Items open and close in order; every event of an item lies between the two.
  const done: Array<z_item> = [];
  type z_item = Extract<ResponsesEvent, { type: "response.output_item.done" }>["item"];
  let open: { index: number; id: string; text: string; arguments: string } | undefined;
  for (const event of events.slice(2, -1)) {
    if (event.type === "response.output_item.added") {
      expect(open).toBeUndefined();
      expect(event.output_index).toBe(done.length);
      expect(event.item.status).toBe("in_progress");
      open = { index: event.output_index, id: event.item.id, text: "", arguments: "" };
      continue;
    }
    if (!open) throw new Error(`${event.type} outside an output item`);
    if ("item_id" in event) {
      expect([event.item_id, event.output_index]).toEqual([open.id, open.index]);
    }
    if (event.type === "response.output_text.delta") open.text += event.delta;
    if (event.type === "response.output_text.done") expect(event.text).toBe(open.text);
    if (event.type === "response.function_call_arguments.delta") open.arguments += event.delta;
    if (event.type === "response.function_call_arguments.done") {
      expect(event.arguments).toBe(open.arguments);
    }
    if (event.type === "response.output_item.done") {
      expect(event.item).toMatchObject({ id: open.id, status: "completed" });
      if (event.item.type === "function_call") expect(event.item.arguments).toBe(open.arguments);
      else expect(event.item.content[0]?.text).toBe(open.text);
      done.push(event.item);
      open = undefined;
    }
  }
  expect(open).toBeUndefined();
  expect(completed.response.output).toEqual(done);
  return meaningOfOutput(done);
}

function meaningOfOutput(items: z_output[]): Meaning {
  return {
    text: items
      .flatMap((item) => (item.type === "message" ? item.content.map((c) => c.text) : []))
      .join(""),
    calls: items.flatMap((item) =>
      item.type === "function_call"
        ? [{ id: item.call_id, name: item.name, arguments: JSON.parse(item.arguments) }]
        : [],
    ),
  };
}
type z_output = ReturnType<typeof responses.outputItem.parse>;

/** Validates an Anthropic stream (schemas and the documented flow); returns its meaning. */
function messagesStream(wire: WireEvent[]): Meaning {
  const events: MessagesEvent[] = wire.map((event) => {
    const parsed = messages.event.parse(event.data);
    expect(event.event).toBe(parsed.type);
    return parsed;
  });
  const flow = events.filter((e) => e.type !== "ping").map((e) => e.type);
  expect(flow[0]).toBe("message_start");
  expect(flow.slice(-2)).toEqual(["message_delta", "message_stop"]);
  const blocks: Array<{ type: string; id?: string; name?: string; body: string }> = [];
  let open: number | undefined;
  for (const event of events.slice(1, -2)) {
    if (event.type === "ping") continue;
    if (event.type === "content_block_start") {
      expect(open).toBeUndefined();
      expect(event.index).toBe(blocks.length);
      open = event.index;
      const b = event.content_block;
      blocks.push(
        b.type === "text"
          ? { type: "text", body: "" }
          : { type: "tool_use", id: b.id, name: b.name, body: "" },
      );
    } else if (event.type === "content_block_delta") {
      expect(event.index).toBe(open);
      const current = blocks[event.index];
      // A block's deltas match its type.
      expect(event.delta.type).toBe(current?.type === "text" ? "text_delta" : "input_json_delta");
      if (current)
        current.body +=
          event.delta.type === "text_delta" ? event.delta.text : event.delta.partial_json;
    } else if (event.type === "content_block_stop") {
      expect(event.index).toBe(open);
      open = undefined;
    } else {
      throw new Error(`${event.type} between content blocks`);
    }
  }
  expect(open).toBeUndefined();
  const stop = events.find((e) => e.type === "message_delta");
  const toolUse = blocks.some((b) => b.type === "tool_use");
  expect(stop).toMatchObject({ delta: { stop_reason: toolUse ? "tool_use" : "end_turn" } });
  return {
    text: blocks
      .filter((b) => b.type === "text")
      .map((b) => b.body)
      .join(""),
    calls: blocks
      .filter((b) => b.type === "tool_use")
      .map((b) => ({ id: b.id ?? "", name: b.name ?? "", arguments: JSON.parse(b.body) })),
  };
}

function streamMeaning(protocol: ModelProtocol, events: WireEvent[]): Meaning {
  if (protocol === "chat") return chatStream(events, true);
  if (protocol === "responses") return responsesStream(events);
  return messagesStream(events);
}

function bodyMeaning(protocol: ModelProtocol, body: unknown): Meaning {
  if (protocol === "chat") {
    const parsed = chat.completion.parse(body);
    const message = parsed.choices[0]?.message;
    return {
      text: message?.content ?? "",
      calls: (message?.tool_calls ?? []).map((c) => ({
        id: c.id,
        name: c.function.name,
        arguments: JSON.parse(c.function.arguments),
      })),
    };
  }
  if (protocol === "responses") {
    const parsed = responses.response.parse(body);
    expect(parsed.status).toBe("completed");
    expect(parsed.usage).not.toBeNull();
    return meaningOfOutput(parsed.output);
  }
  const parsed = messages.message.parse(body);
  return {
    text: parsed.content.flatMap((b) => (b.type === "text" ? [b.text] : [])).join(""),
    calls: parsed.content.flatMap((b) =>
      b.type === "tool_use" ? [{ id: b.id, name: b.name, arguments: b.input }] : [],
    ),
  };
}

function expectedMeaning(name: string): Meaning {
  const { step, text } = steps[name] as (typeof steps)[string];
  const toolCalls = "toolCalls" in step ? step.toolCalls : [];
  return {
    text,
    calls: toolCalls.map((call, position) => ({
      id: `call_0_${position}`,
      name: call.name,
      arguments: call.arguments,
    })),
  };
}

describe.each(protocols)("the model sim over %s", (protocol) => {
  it.each(Object.keys(steps))(
    "streams %s in the documented events, with its usage",
    async (name) => {
      const { response, text } = await post(protocol, request(protocol, name, true));
      expect(response.status).toBe(200);
      const contentType = response.headers.get("content-type") ?? "";
      expect(contentType).toMatch(/^text\/event-stream/);
      expect(streamMeaning(protocol, readSse(text))).toEqual(expectedMeaning(name));
      expect(recorded(contentType, text)).toEqual(expectedUsage(protocol));
    },
  );

  it.each(["reply", "text and two tool calls"])(
    "answers %s without streaming in the documented body",
    async (name) => {
      const { response, text } = await post(protocol, request(protocol, name, false));
      expect(response.status).toBe(200);
      const contentType = response.headers.get("content-type") ?? "";
      expect(contentType).toBe("application/json");
      expect(bodyMeaning(protocol, JSON.parse(text))).toEqual(expectedMeaning(name));
      expect(recorded(contentType, text)).toEqual(expectedUsage(protocol));
    },
  );

  it.each([400, 401, 404, 429, 500, 529])(
    "fails with %i in the provider's error shape",
    async (status) => {
      const { response, text } = await post(protocol, request(protocol, `error-${status}`, true));
      expect(response.status).toBe(status);
      const body = JSON.parse(text);
      if (protocol === "messages") {
        const parsed = messages.error.parse(body);
        const types: Record<number, string> = {
          400: "invalid_request_error",
          401: "authentication_error",
          404: "not_found_error",
          429: "rate_limit_error",
          500: "api_error",
          529: "overloaded_error",
        };
        expect(parsed.error).toEqual({ type: types[status], message: `Scripted ${status}` });
      } else {
        expect(chat.error.parse(body).error.message).toBe(`Scripted ${status}`);
      }
      expect(recorded("application/json", text)).toEqual({
        input: 0,
        output: 0,
        cacheRead: 0,
        cacheWrite: 0,
      });
    },
  );
});

describe("chat completions' stream_options.include_usage", () => {
  it("without it, no chunk carries usage (and so nothing is counted)", async () => {
    const { response, text } = await post("chat", {
      ...request("chat", "reply", true),
      stream_options: undefined,
    });
    expect(chatStream(readSse(text), false)).toEqual(expectedMeaning("reply"));
    expect(recorded(response.headers.get("content-type") ?? "", text)).toEqual({
      input: 0,
      output: 0,
      cacheRead: 0,
      cacheWrite: 0,
    });
  });

  it("with include_usage: false, the same", async () => {
    const { text } = await post("chat", {
      ...request("chat", "reply", true),
      stream_options: { include_usage: false },
    });
    expect(chatStream(readSse(text), false)).toEqual(expectedMeaning("reply"));
  });
});

describe("requests the providers refuse", () => {
  it("Anthropic: no max_tokens is a 400 invalid_request_error in Anthropic's shape", async () => {
    const { max_tokens: _, ...body } = request("messages", "reply", true) as Record<
      string,
      unknown
    >;
    const { response, text } = await post("messages", body);
    expect(response.status).toBe(400);
    expect(messages.error.parse(JSON.parse(text)).error.type).toBe("invalid_request_error");
  });

  it("Anthropic: a system role inside messages is a 400", async () => {
    const body = request("messages", "reply", true) as { messages: object[] };
    const { response } = await post("messages", {
      ...body,
      messages: [{ role: "system", content: "no" }, ...body.messages],
    });
    expect(response.status).toBe(400);
  });

  it("Responses: no input is a 400 in OpenAI's shape", async () => {
    const { input: _, ...body } = request("responses", "reply", true) as Record<string, unknown>;
    const { response, text } = await post("responses", body);
    expect(response.status).toBe(400);
    expect(chat.error.parse(JSON.parse(text)).error.type).toBe("invalid_request_error");
  });

  it("an unknown path under an Anthropic client is a 404 in Anthropic's shape", async () => {
    const response = await fetch(`${server.baseUrl}/messages/batches`, {
      method: "POST",
      headers: { "anthropic-version": "2023-06-01", "x-api-key": "sim" },
      body: "{}",
    });
    expect(response.status).toBe(404);
    expect(messages.error.parse(await response.json()).error.type).toBe("not_found_error");
  });
});

describe("one script over all three formats", () => {
  const history: Record<ModelProtocol, object> = {
    chat: {
      messages: [
        { role: "user", content: "Hi" },
        {
          role: "assistant",
          content: "",
          tool_calls: [
            { id: "call_0_0", type: "function", function: { name: "bash", arguments: "{}" } },
          ],
        },
        { role: "tool", tool_call_id: "call_0_0", content: "ok" },
      ],
    },
    responses: {
      input: [
        { role: "user", content: [{ type: "input_text", text: "Hi" }] },
        { role: "assistant", content: [{ type: "output_text", text: "Running it." }] },
        { type: "function_call", call_id: "call_0_0", name: "bash", arguments: "{}" },
        { type: "function_call_output", call_id: "call_0_0", output: "ok" },
      ],
    },
    messages: {
      messages: [
        { role: "user", content: [{ type: "text", text: "Hi" }] },
        {
          role: "assistant",
          content: [{ type: "tool_use", id: "call_0_0", name: "bash", input: {} }],
        },
        {
          role: "user",
          content: [{ type: "tool_result", tool_use_id: "call_0_0", content: "ok" }],
        },
      ],
    },
  };

  it.each(protocols)(
    "over %s, a conversation after one tool round trip gets the script's second step",
    async (protocol) => {
      const script = `two-steps-${protocol}`;
      server.setScript(script, [{ toolCalls: [bash] }, { reply: "Second step." }]);
      const { text } = await post(protocol, {
        ...request(protocol, script, false),
        ...history[protocol],
      });
      expect(bodyMeaning(protocol, JSON.parse(text)).text).toBe("Second step.");
      expect(server.requests.at(-1)).toMatchObject({ protocol, kind: "turn", script, turn: 1 });
    },
  );
});
