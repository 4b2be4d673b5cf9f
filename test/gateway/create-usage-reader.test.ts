import { describe, expect, it } from "@jest/globals";
import { createUsageReader } from "../../src/gateway/create-usage-reader.js";

/** Feeds `text` to a reader in pieces of `size` bytes, as a network would split it. */
function read(contentType: string, text: string, size = 7) {
  const reader = createUsageReader(contentType);
  const bytes = new TextEncoder().encode(text);
  for (let start = 0; start < bytes.length; start += size) {
    reader.push(bytes.slice(start, start + size));
  }
  return reader.end();
}

const sse = (events: Array<[string | undefined, object | string]>) =>
  events
    .map(
      ([name, data]) =>
        `${name ? `event: ${name}\n` : ""}data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`,
    )
    .join("");

// Shapes as OpenAI's and Anthropic's API references document them (trimmed to what
// usage depends on, plus the fields around it that must not be mistaken for usage).
const responsesUsage = {
  input_tokens: 1_500,
  input_tokens_details: { cached_tokens: 1_200 },
  output_tokens: 80,
  output_tokens_details: { reasoning_tokens: 30 },
  total_tokens: 1_580,
};

describe("createUsageReader", () => {
  it("reads a streamed Responses API answer's usage from response.completed, cached tokens apart", () => {
    const response = { id: "resp_1", object: "response", status: "in_progress", usage: null };
    const usage = read(
      "text/event-stream; charset=utf-8",
      sse([
        ["response.created", { type: "response.created", sequence_number: 0, response }],
        ["response.in_progress", { type: "response.in_progress", sequence_number: 1, response }],
        [
          "response.output_text.delta",
          { type: "response.output_text.delta", sequence_number: 2, delta: "Hi", item_id: "m" },
        ],
        [
          "response.completed",
          {
            type: "response.completed",
            sequence_number: 3,
            response: { ...response, status: "completed", usage: responsesUsage },
          },
        ],
      ]),
    );
    expect(usage).toEqual({ input: 300, cacheRead: 1_200, cacheWrite: 0, output: 80 });
  });

  it("reads a cut-off Responses API answer's usage from response.incomplete", () => {
    const usage = read(
      "text/event-stream",
      sse([
        [
          "response.incomplete",
          {
            type: "response.incomplete",
            sequence_number: 9,
            response: { object: "response", status: "incomplete", usage: responsesUsage },
          },
        ],
      ]),
    );
    expect(usage).toEqual({ input: 300, cacheRead: 1_200, cacheWrite: 0, output: 80 });
  });

  it("reads a non-streamed Responses API answer, cached tokens apart", () => {
    const body = JSON.stringify({
      id: "resp_1",
      object: "response",
      status: "completed",
      output: [],
      usage: responsesUsage,
    });
    expect(read("application/json", body)).toEqual({
      input: 300,
      cacheRead: 1_200,
      cacheWrite: 0,
      output: 80,
    });
  });

  it("reads chat completions' usage chunk (stream_options.include_usage), and a plain body", () => {
    const usage = {
      prompt_tokens: 1_000,
      completion_tokens: 50,
      total_tokens: 1_050,
      prompt_tokens_details: { cached_tokens: 200 },
    };
    const chunk = { object: "chat.completion.chunk", choices: [{ delta: { content: "Hi" } }] };
    expect(
      read(
        "text/event-stream",
        sse([
          [undefined, { ...chunk, usage: null }],
          [undefined, { object: "chat.completion.chunk", choices: [], usage }],
          [undefined, "[DONE]"],
        ]),
      ),
    ).toEqual({ input: 800, cacheRead: 200, cacheWrite: 0, output: 50 });
    expect(read("application/json", JSON.stringify({ object: "chat.completion", usage }))).toEqual({
      input: 800,
      cacheRead: 200,
      cacheWrite: 0,
      output: 50,
    });
  });

  it("counts nothing for a chat stream without a usage chunk (no include_usage)", () => {
    const chunk = { object: "chat.completion.chunk", choices: [{ delta: { content: "Hi" } }] };
    expect(
      read(
        "text/event-stream",
        sse([
          [undefined, chunk],
          [undefined, "[DONE]"],
        ]),
      ),
    ).toEqual({
      input: 0,
      cacheRead: 0,
      cacheWrite: 0,
      output: 0,
    });
  });

  it("reads Anthropic's message_start and message_delta usage, cache counts included", () => {
    const usage = read(
      "text/event-stream; charset=utf-8",
      sse([
        [
          "message_start",
          {
            type: "message_start",
            message: {
              id: "msg_1",
              type: "message",
              usage: {
                input_tokens: 30,
                cache_creation_input_tokens: 70,
                cache_read_input_tokens: 400,
                output_tokens: 1,
              },
            },
          },
        ],
        ["ping", { type: "ping" }],
        [
          "content_block_delta",
          { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Hi" } },
        ],
        [
          "message_delta",
          {
            type: "message_delta",
            delta: { stop_reason: "end_turn", stop_sequence: null },
            usage: { output_tokens: 12 },
          },
        ],
        ["message_stop", { type: "message_stop" }],
      ]),
    );
    expect(usage).toEqual({ input: 30, cacheRead: 400, cacheWrite: 70, output: 12 });
  });

  it("counts usage as reported only once a stream's final usage came", () => {
    const start = sse([
      [
        "message_start",
        {
          type: "message_start",
          message: { id: "msg_1", type: "message", usage: { input_tokens: 30, output_tokens: 1 } },
        },
      ],
      [
        "content_block_delta",
        { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Hi" } },
      ],
    ]);
    const cut = createUsageReader("text/event-stream");
    cut.push(new TextEncoder().encode(start));
    expect(cut.end()).toEqual({ input: 30, cacheRead: 0, cacheWrite: 0, output: 1 });
    // message_start's usage is the input and a first token, not what the answer spent.
    expect(cut.reported).toBe(false);

    const delta = createUsageReader("text/event-stream");
    delta.push(
      new TextEncoder().encode(
        start +
          sse([
            ["message_delta", { type: "message_delta", delta: {}, usage: { output_tokens: 12 } }],
          ]),
      ),
    );
    delta.end();
    expect(delta.reported).toBe(true);

    const stop = createUsageReader("text/event-stream");
    stop.push(new TextEncoder().encode(start + sse([["message_stop", { type: "message_stop" }]])));
    stop.end();
    expect(stop.reported).toBe(true);

    const created = createUsageReader("text/event-stream");
    created.push(
      new TextEncoder().encode(
        sse([
          [
            "response.created",
            { type: "response.created", response: { object: "response", usage: null } },
          ],
        ]),
      ),
    );
    created.end();
    expect(created.reported).toBe(false);
  });

  it("reads a non-streamed Anthropic message", () => {
    const body = JSON.stringify({
      id: "msg_1",
      type: "message",
      usage: {
        input_tokens: 30,
        cache_creation_input_tokens: 70,
        cache_read_input_tokens: 400,
        output_tokens: 12,
      },
    });
    expect(read("application/json", body)).toEqual({
      input: 30,
      cacheRead: 400,
      cacheWrite: 70,
      output: 12,
    });
  });

  it("tells an answer that reports zero tokens from one that reports none", () => {
    const zeros = createUsageReader("application/json");
    zeros.push(new TextEncoder().encode('{"usage":{"prompt_tokens":0,"completion_tokens":0}}'));
    zeros.end();
    expect(zeros.reported).toBe(true);
    const none = createUsageReader("text/event-stream");
    none.push(new TextEncoder().encode('data: {"choices":[{"delta":{"content":"Hi"}}]}\n\n'));
    none.end();
    expect(none.reported).toBe(false);
  });

  it("counts nothing for an error body", () => {
    const body = JSON.stringify({ error: { message: "Scripted", type: "server_error" } });
    expect(read("application/json", body)).toEqual({
      input: 0,
      cacheRead: 0,
      cacheWrite: 0,
      output: 0,
    });
  });

  it("keeps no more than its bound of a JSON body: past it, usage is unknown and it says so", () => {
    const body = JSON.stringify({
      filler: "x".repeat(200),
      usage: { prompt_tokens: 5, completion_tokens: 1 },
    });
    const bounded = createUsageReader("application/json", 100);
    const whole = createUsageReader("application/json", 1_000);
    for (const reader of [bounded, whole]) {
      const bytes = new TextEncoder().encode(body);
      for (let start = 0; start < bytes.length; start += 16)
        reader.push(bytes.slice(start, start + 16));
    }
    expect(bounded.end()).toEqual({ input: 0, cacheRead: 0, cacheWrite: 0, output: 0 });
    expect(bounded.truncated).toBe(true);
    expect(bounded.reported).toBe(false);
    expect(whole.end()).toMatchObject({ input: 5, output: 1 });
    expect(whole.truncated).toBe(false);
    expect(whole.reported).toBe(true);
  });

  it("skips an SSE line longer than its bound and still reads the usage after it", () => {
    const text = sse([
      [undefined, { choices: [{ delta: { content: "y".repeat(500) } }] }],
      [undefined, { choices: [], usage: { prompt_tokens: 40, completion_tokens: 9 } }],
      [undefined, "[DONE]"],
    ]);
    const reader = createUsageReader("text/event-stream", 200);
    const bytes = new TextEncoder().encode(text);
    for (let start = 0; start < bytes.length; start += 64)
      reader.push(bytes.slice(start, start + 64));
    expect(reader.end()).toMatchObject({ input: 40, output: 9 });
    expect(reader.truncated).toBe(true);
  });
});
