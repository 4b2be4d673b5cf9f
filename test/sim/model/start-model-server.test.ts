import { type ModelServer, startModelServer } from "../../../src/sim/model/start-model-server.js";
import { writeFileScript } from "../../../src/sim/model/write-file-script.js";
import { testLogger } from "../../helpers/test-logger.js";

let server: ModelServer;

beforeEach(async () => {
  server = await startModelServer({ log: testLogger() });
});

afterEach(async () => {
  await server.stop();
});

type Message = { role: string; content?: string | null; tool_calls?: unknown[] };

const user = (content: string): Message => ({ role: "user", content });
const assistant = (content: string): Message => ({ role: "assistant", content });

function chat(body: Record<string, unknown>, init: RequestInit = {}): Promise<Response> {
  return fetch(`${server.baseUrl}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer sim" },
    body: JSON.stringify(body),
    ...init,
  });
}

/** The parts of a JSON answer (completion, error, model list) the tests read. */
interface AnswerJson {
  choices: [
    {
      finish_reason: string;
      message: { role: string; content: string | null; tool_calls?: unknown[] };
    },
  ];
  usage: Record<string, unknown>;
  error: { message: string; code: string | null };
}

async function json(response: Response): Promise<AnswerJson> {
  return (await response.json()) as AnswerJson;
}

/** The `data:` payloads of an SSE body, `[DONE]` kept as a string. */
async function sse(response: Response): Promise<unknown[]> {
  expect(response.headers.get("content-type")).toBe("text/event-stream");
  const text = await response.text();
  const events = text.split("\n\n").filter((event) => event !== "");
  return events.map((event) => {
    expect(event.startsWith("data: ")).toBe(true);
    const data = event.slice("data: ".length);
    return data === "[DONE]" ? data : JSON.parse(data);
  });
}

interface Chunk {
  id: string;
  object: string;
  model: string;
  choices: Array<{
    index: number;
    delta: {
      role?: string;
      content?: string;
      tool_calls?: Array<{
        index: number;
        id?: string;
        type?: string;
        function: { name?: string; arguments: string };
      }>;
    };
    finish_reason: string | null;
  }>;
  usage?: Record<string, unknown> | null;
}

function streamed(payloads: unknown[]) {
  expect(payloads.at(-1)).toBe("[DONE]");
  const chunks = payloads.slice(0, -1) as Chunk[];
  const deltas = chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.delta));
  const calls = new Map<number, { id?: string; name?: string; arguments: string }>();
  for (const call of deltas.flatMap((delta) => delta.tool_calls ?? [])) {
    const current = calls.get(call.index) ?? { arguments: "" };
    calls.set(call.index, {
      id: current.id ?? call.id,
      name: current.name ?? call.function.name,
      arguments: current.arguments + call.function.arguments,
    });
  }
  return {
    chunks,
    text: deltas.map((delta) => delta.content ?? "").join(""),
    toolCalls: [...calls.values()],
    finishReasons: chunks.flatMap((chunk) => chunk.choices.map((c) => c.finish_reason)),
  };
}

describe("startModelServer", () => {
  it("streams a reply as OpenAI chunks, ending with finish_reason stop and [DONE]", async () => {
    const reply = "A reply long enough to arrive in several pieces, with ünïcödé 🚀.";
    server.setScript("talk", [{ reply }]);

    const result = streamed(
      await sse(await chat({ model: "talk", stream: true, messages: [user("Hi")] })),
    );

    expect(result.text).toBe(reply);
    expect(result.chunks.length).toBeGreaterThan(3);
    expect(result.chunks[0]?.choices[0]?.delta).toEqual({ role: "assistant", content: "" });
    expect(result.finishReasons.filter((reason) => reason !== null)).toEqual(["stop"]);
    expect(result.finishReasons.at(-1)).toBe("stop");
    for (const chunk of result.chunks) {
      expect(chunk).toMatchObject({ object: "chat.completion.chunk", model: "talk" });
      expect(chunk.id).toBe(result.chunks[0]?.id);
      expect(chunk).not.toHaveProperty("usage");
    }
  });

  it("adds a usage chunk when stream_options.include_usage is set", async () => {
    server.setScript("talk", [{ reply: "ok", usage: { input: 1000, output: 50, cacheRead: 200 } }]);

    const result = streamed(
      await sse(
        await chat({
          model: "talk",
          stream: true,
          stream_options: { include_usage: true },
          messages: [user("Hi")],
        }),
      ),
    );

    const last = result.chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toEqual({
      prompt_tokens: 1200,
      completion_tokens: 50,
      total_tokens: 1250,
      prompt_tokens_details: { cached_tokens: 200 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
    for (const chunk of result.chunks.slice(0, -1)) expect(chunk.usage).toBeNull();
  });

  it("streams tool calls as deltas, after any text, with finish_reason tool_calls", async () => {
    const content = "# Title\n\nA body long enough to be split into several argument pieces.\n";
    server.setScript("tools", [
      {
        text: "Writing two files.",
        toolCalls: [
          { name: "write", arguments: { filePath: "README.md", content } },
          { name: "bash", arguments: "{not json", id: "call_custom" },
        ],
      },
    ]);

    const result = streamed(
      await sse(await chat({ model: "tools", stream: true, messages: [user("Go")] })),
    );

    expect(result.text).toBe("Writing two files.");
    expect(result.toolCalls).toEqual([
      {
        id: "call_0_0",
        name: "write",
        arguments: JSON.stringify({ filePath: "README.md", content }),
      },
      { id: "call_custom", name: "bash", arguments: "{not json" },
    ]);
    const firstDeltas = result.chunks
      .flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? [])
      .filter((call) => call.id !== undefined);
    expect(firstDeltas.map((call) => [call.type, call.function.arguments])).toEqual([
      ["function", ""],
      ["function", ""],
    ]);
    expect(result.finishReasons.filter((reason) => reason !== null)).toEqual(["tool_calls"]);
  });

  it("answers without streaming as a chat.completion with usage", async () => {
    server.setScript("plain", [
      {
        toolCalls: [{ name: "read", arguments: { filePath: "a.txt" } }],
        usage: { input: 7, output: 3 },
      },
      { reply: "Read it." },
    ]);

    const first = await json(await chat({ model: "plain", messages: [user("Read")] }));
    expect(first).toMatchObject({
      object: "chat.completion",
      model: "plain",
      choices: [
        {
          index: 0,
          finish_reason: "tool_calls",
          message: {
            role: "assistant",
            content: null,
            tool_calls: [
              {
                id: "call_0_0",
                type: "function",
                function: { name: "read", arguments: '{"filePath":"a.txt"}' },
              },
            ],
          },
        },
      ],
      usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 },
    });

    const second = await json(
      await chat({ model: "plain", messages: [user("Read"), assistant(""), user("Go on")] }),
    );
    expect(second.choices[0]).toMatchObject({
      finish_reason: "stop",
      message: { role: "assistant", content: "Read it." },
    });
    expect(second.choices[0].message).not.toHaveProperty("tool_calls");
    expect(second.usage).toMatchObject({ prompt_tokens: 100, completion_tokens: 20 });
  });

  it("picks the step by the number of assistant messages, so retries repeat it", async () => {
    server.setScript("steps", [{ reply: "zero" }, { reply: "one" }, { reply: "two" }]);
    const answer = async (messages: Message[]) =>
      (await json(await chat({ model: "steps", messages }))).choices[0].message.content;

    expect(await answer([user("a")])).toBe("zero");
    expect(await answer([user("a")])).toBe("zero");
    expect(
      await answer([user("a"), assistant("zero"), user("b"), assistant("one"), user("c")]),
    ).toBe("two");
    expect(await answer([user("a"), assistant("zero"), user("b")])).toBe("one");
    expect(server.requests.map((request) => [request.kind, request.script, request.turn])).toEqual([
      ["turn", "steps", 0],
      ["turn", "steps", 0],
      ["turn", "steps", 2],
      ["turn", "steps", 1],
    ]);
  });

  it("answers 400, 429 with retry headers, and 500, with OpenAI's error body", async () => {
    server.setScript("bad", [{ error: { status: 400, message: "Unsupported parameter" } }]);
    server.setScript("limited", [
      { error: { status: 429, retryAfterSeconds: 3, retryAfterMs: 2500 } },
    ]);
    server.setScript("broken", [{ error: { status: 500 } }]);

    const bad = await chat({ model: "bad", stream: true, messages: [user("Hi")] });
    expect(bad.status).toBe(400);
    expect(await json(bad)).toEqual({
      error: {
        message: "Unsupported parameter",
        type: "invalid_request_error",
        param: null,
        code: null,
      },
    });

    const limited = await chat({ model: "limited", messages: [user("Hi")] });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("3");
    expect(limited.headers.get("retry-after-ms")).toBe("2500");
    expect((await json(limited)).error).toMatchObject({ code: "rate_limit_exceeded" });

    const broken = await chat({ model: "broken", messages: [user("Hi")] });
    expect(broken.status).toBe(500);
    expect(broken.headers.get("retry-after")).toBeNull();
    expect(await json(broken)).toEqual({
      error: { message: "Scripted error 500", type: "server_error", param: null, code: null },
    });
    expect(server.requests.map((request) => request.status)).toEqual([400, 429, 500]);
  });

  it("fails a turn `times` times, then lets the next step answer it; without times, forever", async () => {
    server.setScript("flaky", [
      { error: { status: 429 }, times: 1 },
      { error: { status: 500 }, times: 2 },
      { reply: "finally" },
      { reply: "next turn" },
    ]);
    server.setScript("down", [{ error: { status: 503 } }]);
    const statuses = async (model: string, messages: Message[], count: number) => {
      const result: number[] = [];
      for (let i = 0; i < count; i++) result.push((await chat({ model, messages })).status);
      return result;
    };

    expect(await statuses("flaky", [user("a")], 5)).toEqual([429, 500, 500, 200, 200]);
    const next = await chat({ model: "flaky", messages: [user("a"), assistant("x"), user("b")] });
    expect((await json(next)).choices[0].message.content).toBe("next turn");
    expect(await statuses("down", [user("a")], 3)).toEqual([503, 503, 503]);

    // Setting a script again starts its counters afresh.
    server.setScript("flaky", [{ error: { status: 500 }, times: 1 }, { reply: "ok" }]);
    expect(await statuses("flaky", [user("a")], 2)).toEqual([500, 200]);
  });

  it("answers 400 naming the script when it has no step for the turn", async () => {
    server.setScript("short", [{ reply: "only" }]);

    const response = await chat({
      model: "short",
      messages: [user("a"), assistant("only"), user("b")],
    });

    expect(response.status).toBe(400);
    expect((await json(response)).error.message).toBe(
      'The model sim\'s script "short" has no step for turn 1 (it scripts 1 turn)',
    );
    expect(server.requests[0]).toMatchObject({ script: "short", turn: 1, exhausted: true });
  });

  it("plays the default script for a model without one", async () => {
    const first = await json(await chat({ model: "nobody", messages: [user("Hi")] }));
    expect(first.choices[0].message.content).toBe("Done.");
    expect(server.requests[0]).toMatchObject({ model: "nobody", script: "default", turn: 0 });

    server.setScript("default", [{ reply: "Custom default." }]);
    const second = await json(await chat({ model: "nobody", messages: [user("Hi")] }));
    expect(second.choices[0].message.content).toBe("Custom default.");
  });

  it("stalls until the client goes away", async () => {
    server.setScript("hang", [{ stall: true }]);
    const controller = new AbortController();

    const pending = chat(
      { model: "hang", stream: true, messages: [user("Hi")] },
      {
        signal: controller.signal,
      },
    );
    const stalled = await server.waitForRequest((request) => request.script === "hang");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stalled.status).toBeUndefined();
    expect(stalled.endedAt).toBeUndefined();
    expect(stalled.abortedByClient).toBe(false);

    controller.abort();
    await expect(pending).rejects.toThrow();
    await until(() => stalled.abortedByClient);
    expect(stalled.endedAt).toBeGreaterThanOrEqual(stalled.receivedAt);
    expect(stalled.status).toBeUndefined();
  });

  it("can stall mid-stream, after some text", async () => {
    server.setScript("cut", [{ stall: true, partial: "Half an ans" }]);
    const controller = new AbortController();

    const response = await chat(
      { model: "cut", stream: true, messages: [user("Hi")] },
      {
        signal: controller.signal,
      },
    );
    expect(response.status).toBe(200);
    const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader();
    let received = "";
    while (!received.includes("Half an ans")) {
      const { value, done } = (await reader?.read()) ?? { done: true };
      if (done) break;
      received += value;
    }
    expect(received).not.toContain('finish_reason":"stop');
    expect(received).not.toContain("[DONE]");

    controller.abort();
    const [request] = server.requests;
    await until(() => request?.abortedByClient === true);
    expect(request?.status).toBe(200);
  });

  it.each([
    ["responses", { input: "Hi" }, "response.completed"],
    ["messages", { max_tokens: 100, messages: [user("Hi")] }, "message_stop"],
  ])(
    "stalls mid-stream over %s too, after some text and before the stream's end",
    async (api, body, end) => {
      server.setScript("cut", [{ stall: true, partial: "Half an ans" }]);
      const controller = new AbortController();
      const response = await fetch(`${server.baseUrl}/${api}`, {
        method: "POST",
        headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
        body: JSON.stringify({ model: "cut", stream: true, ...body }),
        signal: controller.signal,
      });
      expect(response.status).toBe(200);
      const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader();
      let received = "";
      while (!received.includes("Half an ans")) {
        const { value, done } = (await reader?.read()) ?? { done: true };
        if (done) break;
        received += value;
      }
      expect(received).toContain("Half an ans");
      expect(received).not.toContain(end);
      controller.abort();
      const [request] = server.requests;
      await until(() => request?.abortedByClient === true);
      expect(request).toMatchObject({ protocol: api, kind: "turn", status: 200 });
    },
  );

  it("delays an answer by delayMs", async () => {
    server.setScript("slow", [{ reply: "eventually", delayMs: 300 }]);

    const started = Date.now();
    await json(await chat({ model: "slow", messages: [user("Hi")] }));

    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("answers OpenCode's title and compaction requests without consuming the script", async () => {
    server.setScript("once", [{ error: { status: 500 }, times: 1 }, { reply: "after the error" }]);
    const system = (content: string): Message => ({ role: "system", content });

    const title = await chat({
      model: "once",
      stream: true,
      messages: [
        system("You are a title generator. You output ONLY a thread title."),
        user("Generate a title for this conversation:\n"),
        user("Add a README"),
      ],
    });
    expect(streamed(await sse(title)).text).toBe("Scripted session");
    const compaction = await chat({
      model: "once",
      messages: [
        {
          role: "system",
          content: [{ type: "text", text: "You are a context summarization agent. ..." }],
        },
        user("Here is the conversation so far: ..."),
      ],
    });
    expect(compaction.status).toBe(200);

    // The script's only error is still there for the first real turn.
    const turn = await chat({
      model: "once",
      messages: [system("You are opencode. Help the user; generate a title if asked."), user("Hi")],
    });
    expect(turn.status).toBe(500);
    expect(server.requests.map((request) => [request.kind, request.script])).toEqual([
      ["title", undefined],
      ["compaction", undefined],
      ["turn", "once"],
    ]);
  });

  it("records every request: body, headers, time, OpenCode's session id", async () => {
    server.setScript(
      "write",
      writeFileScript({ path: "a.txt", content: "a\n", summary: "Wrote a.txt." }),
    );
    const before = Date.now();

    await chat(
      { model: "write", stream: true, messages: [user("Write a.txt")], temperature: 0 },
      {
        headers: {
          "content-type": "application/json",
          authorization: "Bearer sim",
          "x-session-id": "ses_123",
        },
      },
    );

    expect(server.requests).toEqual([
      {
        seq: 0,
        method: "POST",
        path: "/v1/chat/completions",
        headers: expect.objectContaining({
          authorization: "Bearer sim",
          "x-session-id": "ses_123",
        }),
        body: { model: "write", stream: true, messages: [user("Write a.txt")], temperature: 0 },
        receivedAt: expect.any(Number),
        kind: "turn",
        protocol: "chat",
        model: "write",
        script: "write",
        turn: 0,
        exhausted: false,
        sessionId: "ses_123",
        status: 200,
        endedAt: expect.any(Number),
        abortedByClient: false,
      },
    ]);
    expect(server.requests[0]?.receivedAt).toBeGreaterThanOrEqual(before);
  });

  it("refuses a malformed chat request with 400, and unknown paths with 404", async () => {
    const noMessages = await chat({ model: "x" });
    expect(noMessages.status).toBe(400);
    expect((await json(noMessages)).error.message).toMatch(/^Invalid chat completion request/);
    const notJson = await fetch(`${server.baseUrl}/chat/completions`, {
      method: "POST",
      body: "{",
    });
    expect(notJson.status).toBe(400);
    const embeddings = await fetch(`${server.baseUrl}/embeddings`, { method: "POST", body: "{}" });
    expect(embeddings.status).toBe(404);

    expect(server.requests.map((request) => [request.kind, request.body])).toEqual([
      ["invalid", { model: "x" }],
      ["invalid", "{"],
      ["other", {}],
    ]);
  });

  it("lists every script as a model", async () => {
    server.setScript("write-readme", [{ reply: "ok" }]);

    const response = await fetch(`${server.baseUrl}/models`);

    expect(await json(response)).toEqual({
      object: "list",
      data: [
        { id: "default", object: "model", created: 0, owned_by: "sim" },
        { id: "write-readme", object: "model", created: 0, owned_by: "sim" },
      ],
    });
    expect(server.requests[0]?.kind).toBe("models");
  });

  it("refuses a malformed script", () => {
    expect(() => server.setScript("x", [{ reply: "a", toolCalls: [] } as never])).toThrow(
      'script "x" step 0 must have exactly one of reply, toolCalls, error, stall',
    );
    expect(() => server.setScript("x", [{ error: { status: 200 } }])).toThrow(/HTTP error status/);
    expect(() => server.setScript("x", [{ error: { status: 500 }, times: 0 }])).toThrow(
      /times must be an integer >= 1/,
    );
    expect(() => server.setScript("x", [{ reply: "a", usage: { input: -1, output: 0 } }])).toThrow(
      /usage.input/,
    );
  });

  it("waits for a request still to come, and times out naming what it saw", async () => {
    const waiting = server.waitForRequest((request) => request.model === "later");
    await chat({ model: "sooner", messages: [user("Hi")] });
    await chat({ model: "later", messages: [user("Hi")] });
    expect((await waiting).seq).toBe(1);

    await expect(server.waitForRequest((request) => request.model === "never", 50)).rejects.toThrow(
      "No matching model request within 50 ms; received: turn default#0, turn default#0",
    );
  });

  it("stops even with a request stalled", async () => {
    server.setScript("hang", [{ stall: true }]);
    const outcome = chat({ model: "hang", messages: [user("Hi")] }).then(
      () => "answered",
      (error: Error) => error.message,
    );
    const stalled = await server.waitForRequest(() => true);

    await server.stop();

    expect(await outcome).toBe("fetch failed");
    expect(stalled.abortedByClient).toBe(false);
    await expect(fetch(`${server.baseUrl}/models`)).rejects.toThrow();
    server = await startModelServer(); // afterEach stops it again
  });
});

async function until(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
