// The gateway meters what it forwards (second security review of the gateway): a stream
// cut off after Anthropic's message_start is charged its worst output, bodies that ask
// the provider for work beyond the metered tokens (provider-side tools, MCP servers,
// containers, stored state, background responses, several choices) never reach it, an
// unpriced model is refused under a monthly budget in dollars, and a repository's
// monthly budget admits one call beyond it across all of its runs, not one per run.
// The provider is the model stand-in, the database real.
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { migrate } from "../../src/db/migrate.js";
import {
  createGatewayHandler,
  type GatewayDependencies,
} from "../../src/gateway/create-gateway-handler.js";
import { issueGatewayToken } from "../../src/gateway/issue-gateway-token.js";
import { readRunUsage } from "../../src/gateway/read-run-usage.js";
import { type ModelServer, startModelServer } from "../../src/sim/model/start-model-server.js";
import { createTestDatabase, type TestDatabase } from "../helpers/create-test-database.js";
import { insertTestRun } from "../helpers/insert-test-run.js";
import { testLogger } from "../helpers/test-logger.js";

const realKey = "sk-canary-metering-key-7c21";
const price = { input: 3, output: 15 };
/** A call of 1,000 in and 50 out at `price`. */
const oneCall = (1_000 * 3 + 50 * 15) / 1e6;

let db: TestDatabase;
let model: ModelServer;
const servers: Server[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  await migrate(db.pool, testLogger());
  model = await startModelServer();
  for (const name of ["plain", "unpriced"]) {
    model.setScript(name, [{ reply: "Done.", usage: { input: 1_000, output: 50 } }]);
  }
  model.setScript("month", [{ reply: "Done.", usage: { input: 1_000, output: 50 }, delayMs: 300 }]);
  model.setScript("stall", [{ stall: true, partial: "Thinking" }]);
});

afterAll(async () => {
  for (const server of servers) {
    server.close();
    server.closeAllConnections();
  }
  await model.stop();
  await db.drop();
});

/** A gateway in front of the model stand-in: `sim` (chat), `openai` (Responses), `anthropic`. */
async function gateway(settings: Partial<GatewayDependencies> = {}): Promise<string> {
  const handle = createGatewayHandler({
    db: db.pool,
    providers: {
      sim: {
        npm: "@ai-sdk/openai-compatible",
        options: { baseURL: model.baseUrl, apiKey: realKey },
      },
      openai: { options: { baseURL: model.baseUrl, apiKey: realKey } },
      anthropic: { options: { baseURL: model.baseUrl, apiKey: realKey } },
    },
    prices: Object.fromEntries(
      ["sim/plain", "sim/month", "openai/plain", "anthropic/plain", "anthropic/stall"].map(
        (name) => [name, price],
      ),
    ),
    runBudget: undefined,
    monthlyBudget: undefined,
    log: testLogger(),
    ...settings,
  });
  const server = createServer((req, res) => {
    void handle(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function runningRun(
  runModel: string,
  repositoryId?: number,
): Promise<{ runId: number; token: string }> {
  const runId = await insertTestRun(db.pool, { thread: Math.floor(Math.random() * 1e6) });
  await db.pool.query(
    "UPDATE runs SET state = 'running', model = $2, repository_id = coalesce($3, repository_id) WHERE id = $1",
    [runId, runModel, repositoryId ?? null],
  );
  return { runId, token: await issueGatewayToken(db.pool, runId) };
}

/** A call as the provider's SDK sends it: Anthropic's with `x-api-key`, OpenAI's with a bearer token. */
function call(
  base: string,
  run: { runId: number; token: string },
  provider: "sim" | "openai" | "anthropic",
  path: string,
  body: object,
  signal?: AbortSignal,
) {
  const headers: Record<string, string> =
    provider === "anthropic"
      ? { "x-api-key": run.token, "anthropic-version": "2023-06-01" }
      : { authorization: `Bearer ${run.token}` };
  return fetch(`${base}/llm/runs/${run.runId}/${provider}${path}`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify(body),
    signal,
  });
}

const requestsFor = (name: string) => model.requests.filter((request) => request.model === name);

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const recorded = (runId: number) =>
  waitFor("the call's record", async () => {
    const used = await readRunUsage(db.pool, runId);
    return used.calls > 0 ? used : undefined;
  });

describe("a stream cut off before its final usage", () => {
  it("charges an Anthropic stream aborted after message_start its reserved output", async () => {
    const base = await gateway();
    const run = await runningRun("anthropic/stall");
    const abort = new AbortController();
    const answer = await call(
      base,
      run,
      "anthropic",
      "/messages",
      {
        model: "stall",
        max_tokens: 700,
        stream: true,
        messages: [{ role: "user", content: "add a README" }],
      },
      abort.signal,
    );
    expect(answer.status).toBe(200);
    // Read up to the text the stand-in streams after message_start, then hang up.
    const reader = (answer.body as ReadableStream<Uint8Array>).getReader();
    let seen = "";
    while (!seen.includes("Thinking")) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += new TextDecoder().decode(value);
    }
    expect(seen).toContain("message_start");
    expect(seen).not.toContain("message_delta");
    abort.abort();
    const usage = await recorded(run.runId);
    // message_start said 100 in and 1 out; the call is charged its max_tokens.
    expect(usage.output).toBe(700);
    expect(usage.input).toBeGreaterThanOrEqual(100);
  });

  it("still charges a whole Anthropic stream what it reported", async () => {
    const base = await gateway();
    const run = await runningRun("anthropic/plain");
    const answer = await call(base, run, "anthropic", "/messages", {
      model: "plain",
      max_tokens: 700,
      stream: true,
      messages: [{ role: "user", content: "add a README" }],
    });
    expect(answer.status).toBe(200);
    await answer.text();
    expect(await recorded(run.runId)).toMatchObject({ input: 1_000, output: 50 });
  });
});

describe("work the gateway cannot meter", () => {
  const chat = { messages: [{ role: "user", content: "hi" }] };
  const anthropic = { max_tokens: 100, messages: [{ role: "user", content: "hi" }] };
  const fn = { type: "function", function: { name: "read", parameters: { type: "object" } } };
  const refused: [string, "sim" | "openai" | "anthropic", string, object][] = [
    [
      "a chat web search tool",
      "sim",
      "/chat/completions",
      { ...chat, tools: [fn, { type: "web_search" }] },
    ],
    ["chat web_search_options", "sim", "/chat/completions", { ...chat, web_search_options: {} }],
    [
      "chat mcp_servers",
      "sim",
      "/chat/completions",
      { ...chat, mcp_servers: [{ url: "https://x" }] },
    ],
    [
      "a Responses web search tool",
      "openai",
      "/responses",
      { input: "hi", tools: [{ type: "web_search" }] },
    ],
    [
      "a Responses file search tool",
      "openai",
      "/responses",
      { input: "hi", tools: [{ type: "file_search", vector_store_ids: ["vs_1"] }] },
    ],
    [
      "a Responses code interpreter",
      "openai",
      "/responses",
      { input: "hi", tools: [{ type: "code_interpreter", container: { type: "auto" } }] },
    ],
    [
      "a Responses remote MCP tool",
      "openai",
      "/responses",
      { input: "hi", tools: [{ type: "mcp", server_url: "https://x" }] },
    ],
    [
      "a Responses image generation tool",
      "openai",
      "/responses",
      { input: "hi", tools: [{ type: "image_generation" }] },
    ],
    [
      "a Responses tool without a type",
      "openai",
      "/responses",
      { input: "hi", tools: [{ name: "x" }] },
    ],
    [
      "previous_response_id",
      "openai",
      "/responses",
      { input: "hi", previous_response_id: "resp_1" },
    ],
    ["a stored conversation", "openai", "/responses", { input: "hi", conversation: "conv_1" }],
    ["background: true", "openai", "/responses", { input: "hi", background: true }],
    [
      "top-level vector_store_ids",
      "openai",
      "/responses",
      { input: "hi", vector_store_ids: ["vs_1"] },
    ],
    ["a Responses container", "openai", "/responses", { input: "hi", container: "cntr_1" }],
    [
      "an Anthropic web search tool",
      "anthropic",
      "/messages",
      { ...anthropic, tools: [{ type: "web_search_20250305", name: "web_search" }] },
    ],
    [
      "an Anthropic code execution tool",
      "anthropic",
      "/messages",
      { ...anthropic, tools: [{ type: "code_execution_20250522", name: "code_execution" }] },
    ],
    [
      "an Anthropic bash tool",
      "anthropic",
      "/messages",
      { ...anthropic, tools: [{ type: "bash_20250124", name: "bash" }] },
    ],
    [
      "Anthropic mcp_servers",
      "anthropic",
      "/messages",
      { ...anthropic, mcp_servers: [{ type: "url", url: "https://x", name: "x" }] },
    ],
    [
      "an Anthropic container",
      "anthropic",
      "/messages",
      { ...anthropic, container: "container_1" },
    ],
    [
      "Anthropic token counting with a server tool",
      "anthropic",
      "/messages/count_tokens",
      { ...anthropic, tools: [{ type: "web_fetch_20250910", name: "web_fetch" }] },
    ],
  ];

  it.each(refused)(
    "refuses %s with a 403 in the provider's shape",
    async (_what, provider, path, body) => {
      const base = await gateway();
      const run = await runningRun(`${provider}/plain`);
      const before = model.requests.length;
      const answer = await call(base, run, provider, path, { model: "plain", ...body });
      expect(answer.status).toBe(403);
      const error = (await answer.json()) as {
        type?: string;
        error: { type: string; message: string };
      };
      expect(error.error.type).toBe("permission_error");
      expect(error.error.message).toContain("Ship's key");
      if (provider === "anthropic") expect(error.type).toBe("error");
      expect(model.requests.length).toBe(before);
      expect((await readRunUsage(db.pool, run.runId)).calls).toBe(0);
    },
  );

  it("refuses a chat call for more than one choice with a 400", async () => {
    const base = await gateway();
    const run = await runningRun("sim/plain");
    const before = model.requests.length;
    const answer = await call(base, run, "sim", "/chat/completions", {
      model: "plain",
      ...chat,
      n: 3,
    });
    expect(answer.status).toBe(400);
    const error = (await answer.json()) as { error: { type: string; message: string } };
    expect(error.error.type).toBe("invalid_request_error");
    expect(error.error.message).toContain('"n": 1');
    expect(model.requests.length).toBe(before);
  });

  it("forwards the client's own tools, and a Responses call with store forced off", async () => {
    const base = await gateway();
    const run = await runningRun("openai/plain");
    const responses = await call(base, run, "openai", "/responses", {
      model: "plain",
      input: "hi",
      store: true,
      include: ["reasoning.encrypted_content"],
      tools: [{ type: "function", name: "read", parameters: { type: "object" } }],
    });
    expect(responses.status).toBe(200);
    await responses.text();
    const sent = requestsFor("plain").at(-1)?.body as Record<string, unknown>;
    expect(sent.store).toBe(false);
    expect(sent.include).toEqual(["reasoning.encrypted_content"]);

    const chatRun = await runningRun("sim/plain");
    const chatAnswer = await call(base, chatRun, "sim", "/chat/completions", {
      model: "plain",
      ...chat,
      n: 1,
      tools: [fn],
    });
    expect(chatAnswer.status).toBe(200);
    await chatAnswer.text();

    const anthropicRun = await runningRun("anthropic/plain");
    const messages = await call(base, anthropicRun, "anthropic", "/messages", {
      model: "plain",
      ...anthropic,
      tools: [
        { name: "read", input_schema: { type: "object" } },
        { type: "custom", name: "write", input_schema: { type: "object" } },
      ],
    });
    expect(messages.status).toBe(200);
    await messages.text();
  });
});

describe("monthly budgets", () => {
  it("refuses an unpriced model under a monthly budget in dollars beside a run budget in tokens", async () => {
    const base = await gateway({
      runBudget: { kind: "tokens", amount: 100_000 },
      monthlyBudget: { kind: "usd", amount: 5 },
    });
    const run = await runningRun("sim/unpriced");
    const before = requestsFor("unpriced").length;
    const answer = await call(base, run, "sim", "/chat/completions", {
      model: "unpriced",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(answer.status).toBe(403);
    const error = (await answer.json()) as { error: { type: string; message: string } };
    expect(error.error.type).toBe("permission_error");
    expect(error.error.message).toMatch(
      /no price for the model "sim\/unpriced".*this repository to its monthly budget of \$5\.00/,
    );
    expect(error.error.message).toContain("SHIP_REPO_MONTHLY_BUDGET");
    expect(error.error.message).not.toContain("SHIP_RUN_BUDGET");
    expect(requestsFor("unpriced")).toHaveLength(before);
  });

  it("lets parallel calls of several runs of one repository past its monthly budget by one call, not one per run", async () => {
    const repositoryId = 700_000 + Math.floor(Math.random() * 100_000);
    const budget = 0.01;
    const runs = await Promise.all([1, 2, 3].map(() => runningRun("sim/month", repositoryId)));
    // Nearly spent: no call fits, so each may go out only as the repository's only one.
    await db.pool.query(
      `INSERT INTO model_calls (run_id, repository_id, provider, model, status, cost_usd)
       VALUES ($1, $2, 'sim', 'month', 200, $3)`,
      [(runs[0] as { runId: number }).runId, repositoryId, budget - oneCall / 10],
    );
    const base = await gateway({ monthlyBudget: { kind: "usd", amount: budget } });
    const statuses = await Promise.all(
      runs.map((run) =>
        call(base, run, "sim", "/chat/completions", {
          model: "month",
          max_tokens: 100,
          messages: [{ role: "user", content: "hi" }],
        }).then(async (answer) => {
          await answer.text();
          return answer.status;
        }),
      ),
    );
    expect(statuses.sort()).toEqual([200, 402, 402]);
    expect(requestsFor("month")).toHaveLength(1);
  });
});
