// The real OpenCode (opencode-ai 1.18.33) over each API the model sim speaks, through
// Ship's model gateway: OpenAI chat completions (`@ai-sdk/openai-compatible`), the
// OpenAI Responses API (OpenCode's `openai` provider) and Anthropic Messages (its
// `anthropic` provider). One script plays over all three; each must round-trip a tool
// call, and OpenCode and the gateway must both count the scripted tokens.
import { once } from "node:events";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import {
  type AssistantMessage,
  createOpencodeClient,
  type Event,
  type OpencodeClient,
} from "@opencode-ai/sdk/v2";
import { migrate } from "../../../src/db/migrate.js";
import { createGatewayHandler } from "../../../src/gateway/create-gateway-handler.js";
import { sandboxProviders } from "../../../src/gateway/gateway-providers.js";
import { issueGatewayToken } from "../../../src/gateway/issue-gateway-token.js";
import { readRunUsage } from "../../../src/gateway/read-run-usage.js";
import type { RecordedRequest } from "../../../src/sim/model/recorded-request.js";
import type { ScriptStep } from "../../../src/sim/model/script-step.js";
import { simProviderConfig } from "../../../src/sim/model/sim-provider-config.js";
import { type ModelServer, startModelServer } from "../../../src/sim/model/start-model-server.js";
import type { ModelProtocol } from "../../../src/sim/model/wire-format.js";
import { createTestDatabase, type TestDatabase } from "../../helpers/create-test-database.js";
import { insertTestRun } from "../../helpers/insert-test-run.js";
import { testLogger } from "../../helpers/test-logger.js";
import { collectEvents, type EventLog } from "../model/collect-events.js";
import { type RunningOpencode, startOpencode } from "../model/start-opencode.js";

/** Provider ids as a user would name them; `sim` is an OpenAI-compatible one. */
const providerOf: Record<ModelProtocol, string> = {
  chat: "sim",
  responses: "openai",
  messages: "anthropic",
};
const protocols = Object.keys(providerOf) as ModelProtocol[];
const price = { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 };
/** OpenAI has no cache writes: only Anthropic's script reports any. */
const usageOf = (protocol: ModelProtocol) => ({
  input: 1_200,
  output: 80,
  cacheRead: 300,
  cacheWrite: protocol === "messages" ? 50 : 0,
});
const content = (protocol: ModelProtocol) => `# Written over ${protocol}\n`;

function scripts(protocol: ModelProtocol): Record<string, ScriptStep[]> {
  const usage = usageOf(protocol);
  return {
    [`write-${protocol}`]: [
      {
        text: "Writing it.",
        toolCalls: [
          {
            name: "write",
            arguments: { filePath: `${protocol}.md`, content: content(protocol) },
          },
        ],
        usage,
      },
      { reply: `Wrote ${protocol}.md.`, usage },
    ],
    [`refuse-${protocol}`]: [{ error: { status: 400, message: `Scripted refusal (${protocol})` } }],
  };
}

let db: TestDatabase;
let model: ModelServer;
let gateway: Server;
let opencode: RunningOpencode;
let root: string;
let directory: string;
let client: OpencodeClient;
let events: EventLog;
let runId: number;

beforeAll(async () => {
  db = await createTestDatabase();
  await migrate(db.pool, testLogger());
  model = await startModelServer({ log: testLogger() });
  const providers: Record<string, ReturnType<typeof simProviderConfig>> = {};
  for (const protocol of protocols) {
    const own = scripts(protocol);
    for (const [name, steps] of Object.entries(own)) model.setScript(name, steps);
    providers[providerOf[protocol]] = {
      ...simProviderConfig({ baseUrl: model.baseUrl, models: Object.keys(own), protocol }),
      // Only the scripts: else OpenCode names sessions with a small model it knows for
      // `openai` or `anthropic` (gpt-5-nano, claude-haiku-4-5), which the gateway refuses
      // as not the run's. Ship itself sets `small_model` to the run's model.
      whitelist: Object.keys(own),
    };
  }
  // A chat provider told not to ask for streamed usage (`includeUsage: false`).
  model.setScript("no-usage", [{ reply: "Done.", usage: usageOf("chat") }]);
  providers["sim-no-usage"] = {
    ...simProviderConfig({ baseUrl: model.baseUrl, models: ["no-usage"] }),
    options: { baseURL: model.baseUrl, apiKey: "sim", includeUsage: false },
  };
  const prices = Object.fromEntries(
    protocols.map((protocol) => [`${providerOf[protocol]}/write-${protocol}`, price]),
  );
  const handle = createGatewayHandler({
    db: db.pool,
    providers,
    prices: { ...prices, "sim-no-usage/no-usage": price },
    runBudget: undefined,
    monthlyBudget: undefined,
    log: testLogger(),
  });
  gateway = createServer((req, res) => {
    void handle(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  gateway.listen(0, "127.0.0.1");
  await once(gateway, "listening");
  runId = await insertTestRun(db.pool);
  await db.pool.query("UPDATE runs SET state = 'running' WHERE id = $1", [runId]);
  const token = await issueGatewayToken(db.pool, runId);
  const runBase = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/llm/runs/${runId}`;

  root = await mkdtemp(path.join(tmpdir(), "ship-model-protocols-"));
  directory = path.join(root, "work");
  await mkdir(directory);
  opencode = await startOpencode({
    root,
    config: {
      autoupdate: false,
      share: "disabled",
      lsp: false,
      formatter: false,
      snapshot: false,
      enabled_providers: Object.keys(providers),
      permission: { edit: "allow", bash: "allow" },
      provider: sandboxProviders(providers, Object.keys(providers), { runBase, token }),
    },
  });
  client = createOpencodeClient({ baseUrl: opencode.url, directory });
  events = await collectEvents(client);
}, 60_000);

afterAll(async () => {
  events?.close();
  await opencode?.stop();
  gateway?.close();
  await model?.stop();
  await db?.drop();
  if (root) await rm(root, { recursive: true, force: true });
});

const sessionOf = (event: Event) =>
  (event.properties as { sessionID?: unknown }).sessionID as string | undefined;

/** Prompts a new session (untitled unless `title`) and waits until it is idle. */
async function prompt(providerID: string, modelID: string, title?: string) {
  // The gateway forwards only the run's model: make this the run's, as ingest would.
  await db.pool.query("UPDATE runs SET model = $2 WHERE id = $1", [
    runId,
    `${providerID}/${modelID}`,
  ]);
  const { data: session } = await client.session.create(title ? { title } : {}, {
    throwOnError: true,
  });
  const since = events.events.length;
  await client.session.promptAsync(
    {
      sessionID: session.id,
      model: { providerID, modelID },
      parts: [{ type: "text", text: "Write the file" }],
    },
    { throwOnError: true },
  );
  await events.waitFor(
    (event) => event.type === "session.idle" && sessionOf(event) === session.id,
    { since, timeoutMs: 30_000 },
  );
  const errors = events.events
    .slice(since)
    .flatMap((event) =>
      event.type === "session.error" && sessionOf(event) === session.id
        ? [event.properties.error]
        : [],
    );
  const { data: messages } = await client.session.messages(
    { sessionID: session.id },
    { throwOnError: true },
  );
  const replies = messages
    .filter((message) => message.info.role === "assistant")
    .map((message) => message.info as AssistantMessage);
  return { sessionID: session.id, errors, replies };
}

function requestsOf(sessionID: string): RecordedRequest[] {
  return model.requests.filter((request) => request.sessionId === sessionID);
}

/** What the client sent back after turn 0: the tool call it got and the tool's result. */
function toolRoundTrip(protocol: ModelProtocol, body: unknown): unknown {
  const b = body as Record<string, unknown[]>;
  if (protocol === "chat") return (b.messages ?? []).slice(-2);
  if (protocol === "responses") {
    return (b.input ?? []).filter((item) =>
      ["function_call", "function_call_output"].includes((item as { type?: string }).type ?? ""),
    );
  }
  return (b.messages ?? []).slice(-2);
}

const expectedRoundTrip: Record<ModelProtocol, (protocol: ModelProtocol) => unknown> = {
  chat: (protocol) => [
    expect.objectContaining({
      role: "assistant",
      tool_calls: [
        expect.objectContaining({
          id: "call_0_0",
          function: {
            name: "write",
            arguments: JSON.stringify({ filePath: `${protocol}.md`, content: content(protocol) }),
          },
        }),
      ],
    }),
    expect.objectContaining({ role: "tool", tool_call_id: "call_0_0" }),
  ],
  responses: (protocol) => [
    expect.objectContaining({
      type: "function_call",
      call_id: "call_0_0",
      name: "write",
      arguments: JSON.stringify({ filePath: `${protocol}.md`, content: content(protocol) }),
    }),
    expect.objectContaining({ type: "function_call_output", call_id: "call_0_0" }),
  ],
  messages: (protocol) => [
    {
      role: "assistant",
      content: expect.arrayContaining([
        expect.objectContaining({
          type: "tool_use",
          id: "call_0_0",
          name: "write",
          input: { filePath: `${protocol}.md`, content: content(protocol) },
        }),
      ]),
    },
    {
      role: "user",
      content: [expect.objectContaining({ type: "tool_result", tool_use_id: "call_0_0" })],
    },
  ],
};

describe.each(protocols)("OpenCode over %s, through the gateway", (protocol) => {
  const providerID = providerOf[protocol];

  it("round-trips a tool call, names the session on the side, and both OpenCode and the gateway count the scripted tokens", async () => {
    const before = await readRunUsage(db.pool, runId);
    const { sessionID, errors, replies } = await prompt(providerID, `write-${protocol}`);

    expect(errors).toEqual([]);
    expect(await readFile(path.join(directory, `${protocol}.md`), "utf8")).toBe(content(protocol));
    const requests = requestsOf(sessionID);
    const turns = requests.filter((request) => request.kind === "turn");
    expect(turns.map((request) => [request.protocol, request.turn, request.status])).toEqual([
      [protocol, 0, 200],
      [protocol, 1, 200],
    ]);
    expect(toolRoundTrip(protocol, turns[1]?.body)).toEqual(expectedRoundTrip[protocol](protocol));
    // The untitled session's title request went over the same API, off the script.
    expect(requests.filter((request) => request.kind === "title").map((r) => r.protocol)).toEqual([
      protocol,
    ]);

    const usage = usageOf(protocol);
    expect(replies.map((reply) => reply.finish)).toEqual(["tool-calls", "stop"]);
    for (const reply of replies) {
      expect(reply.tokens).toMatchObject({
        input: usage.input,
        output: usage.output,
        cache: { read: usage.cacheRead, write: usage.cacheWrite },
      });
    }

    const recorded = await waitForCalls(before.calls + 3);
    expect({
      calls: recorded.calls - before.calls,
      input: recorded.input - before.input,
      output: recorded.output - before.output,
      cacheRead: recorded.cacheRead - before.cacheRead,
      cacheWrite: recorded.cacheWrite - before.cacheWrite,
    }).toEqual({
      // Two turns and the title request (which the sim answers with zero tokens).
      calls: 3,
      input: 2 * usage.input,
      output: 2 * usage.output,
      cacheRead: 2 * usage.cacheRead,
      cacheWrite: 2 * usage.cacheWrite,
    });
    const cost =
      (2 *
        (usage.input * price.input +
          usage.output * price.output +
          usage.cacheRead * price.cacheRead +
          usage.cacheWrite * price.cacheWrite)) /
      1e6;
    expect(recorded.cost - before.cost).toBeCloseTo(cost, 9);
  });

  it("shows a provider's 400 as OpenCode's APIError with the provider's message", async () => {
    const { errors } = await prompt(providerID, `refuse-${protocol}`, "refused");
    expect(errors).toEqual([
      {
        name: "APIError",
        data: expect.objectContaining({
          message: `Scripted refusal (${protocol})`,
          statusCode: 400,
          isRetryable: false,
        }),
      },
    ]);
  });
});

it("over chat completions without stream_options.include_usage, the gateway asks for usage and counts it", async () => {
  const before = await readRunUsage(db.pool, runId);
  const { sessionID, errors } = await prompt("sim-no-usage", "no-usage", "no usage");
  expect(errors).toEqual([]);
  // What reached the model stand-in: the gateway added include_usage OpenCode left out.
  const [turn] = requestsOf(sessionID);
  expect(turn?.body).toEqual(
    expect.objectContaining({ stream: true, stream_options: { include_usage: true } }),
  );
  const recorded = await waitForCalls(before.calls + 1);
  expect(recorded.input + recorded.output).toBeGreaterThan(before.input + before.output);
});

/** The gateway records a call right after its answer ends: wait for it. */
async function waitForCalls(calls: number) {
  for (let i = 0; i < 200; i++) {
    const usage = await readRunUsage(db.pool, runId);
    if (usage.calls >= calls) return usage;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`run ${runId} has no ${calls} recorded call(s)`);
}
