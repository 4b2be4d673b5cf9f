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
import { revokeGatewayToken } from "../../src/gateway/revoke-gateway-token.js";
import { type ModelServer, startModelServer } from "../../src/sim/model/start-model-server.js";
import { createTestDatabase, type TestDatabase } from "../helpers/create-test-database.js";
import { insertTestRun } from "../helpers/insert-test-run.js";
import { testLogger } from "../helpers/test-logger.js";

const realKey = "sk-canary-real-provider-key-7f3a";

/** A chat completion request as OpenCode's OpenAI-compatible SDK sends it. */
function chat(model: string, stream: boolean) {
  return JSON.stringify({
    model,
    messages: [{ role: "user", content: "add a README" }],
    stream,
    ...(stream ? { stream_options: { include_usage: true } } : {}),
  });
}

/** The parts of a streamed answer an agent acts on: text, tool calls, finish reason, usage. */
function meaning(sse: string) {
  const chunks = sse
    .split("\n")
    .filter((line) => line.startsWith("data: ") && line !== "data: [DONE]")
    .map((line) => JSON.parse(line.slice(6)) as Record<string, unknown>);
  return chunks.map(({ id: _id, created: _created, ...rest }) => rest);
}

describe("model gateway", () => {
  let db: TestDatabase;
  let model: ModelServer;
  let server: Server;
  let gateway: string;
  let deps: GatewayDependencies;

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrate(db.pool, testLogger());
    model = await startModelServer();
    model.setScript("tools", [
      {
        toolCalls: [{ name: "write", arguments: { filePath: "README.md", content: "# Hi\n" } }],
        usage: { input: 1_000, output: 50, cacheRead: 200 },
      },
      { reply: "Added a README.", usage: { input: 1_100, output: 10 } },
    ]);
    model.setScript("broken", [{ error: { status: 400, message: "Scripted bad request" } }]);
    deps = {
      db: db.pool,
      providers: {
        sim: {
          npm: "@ai-sdk/openai-compatible",
          options: { baseURL: model.baseUrl, apiKey: realKey },
        },
        down: {
          npm: "@ai-sdk/openai-compatible",
          options: { baseURL: "http://127.0.0.1:9/v1", apiKey: realKey },
        },
      },
      prices: { "sim/tools": { input: 3, output: 15, cacheRead: 0.3 } },
      runBudget: undefined,
      monthlyBudget: undefined,
      log: testLogger(),
    };
    const handle = createGatewayHandler({
      ...deps,
      // Budgets vary per test: read them from `deps` at each call.
      get runBudget() {
        return deps.runBudget;
      },
      get monthlyBudget() {
        return deps.monthlyBudget;
      },
    });
    server = createServer((req, res) => {
      void handle(req, res).then((handled) => {
        if (!handled) res.writeHead(404).end();
      });
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    gateway = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.close();
    await model.stop();
    await db.drop();
  });

  /** A running run configured with `runModel` (what its sandbox's OpenCode was told to use). */
  async function runningRun(runModel = "sim/tools"): Promise<{ runId: number; token: string }> {
    const runId = await insertTestRun(db.pool, { thread: Math.floor(Math.random() * 1e6) });
    await db.pool.query("UPDATE runs SET state = 'running', model = $2 WHERE id = $1", [
      runId,
      runModel,
    ]);
    return { runId, token: await issueGatewayToken(db.pool, runId) };
  }

  const post = (url: string, key: string, body: string, session = "s1") =>
    fetch(url, {
      method: "POST",
      headers: {
        authorization: `Bearer ${key}`,
        "content-type": "application/json",
        "x-session-id": session,
      },
      body,
    });

  it("streams the provider's answer through unchanged, with the real key upstream, and records usage and cost", async () => {
    const { runId, token } = await runningRun();
    const direct = await post(
      `${model.baseUrl}/chat/completions`,
      "sim",
      chat("tools", true),
      "direct",
    );
    const viaGateway = await post(
      `${gateway}/llm/runs/${runId}/sim/chat/completions`,
      token,
      chat("tools", true),
      "gw",
    );
    expect(viaGateway.status).toBe(200);
    expect(viaGateway.headers.get("content-type")).toContain("text/event-stream");
    expect(meaning(await viaGateway.text())).toEqual(meaning(await direct.text()));

    const upstream = model.requests.filter((r) => r.headers["x-session-id"] === "gw");
    expect(upstream).toHaveLength(1);
    expect(upstream[0]?.headers.authorization).toBe(`Bearer ${realKey}`);
    // The run's token never goes to the provider.
    expect(JSON.stringify(upstream[0]?.headers)).not.toContain(token);

    const usage = await waitForUsage(runId, 1);
    expect(usage).toMatchObject({
      calls: 1,
      input: 1_000,
      output: 50,
      cacheRead: 200,
      cacheWrite: 0,
    });
    expect(usage.cost).toBeCloseTo((1_000 * 3 + 50 * 15 + 200 * 0.3) / 1e6, 6);
  });

  it("passes a provider's error through as the provider said it", async () => {
    const { runId, token } = await runningRun("sim/broken");
    const direct = await post(
      `${model.baseUrl}/chat/completions`,
      "sim",
      chat("broken", false),
      "d2",
    );
    const response = await post(
      `${gateway}/llm/runs/${runId}/sim/chat/completions`,
      token,
      chat("broken", false),
      "g2",
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual(await direct.json());
  });

  it("answers 502 in the provider's error shape when the provider cannot be reached", async () => {
    const { runId, token } = await runningRun("down/tools");
    const response = await post(
      `${gateway}/llm/runs/${runId}/down/chat/completions`,
      token,
      chat("tools", false),
    );
    expect(response.status).toBe(502);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/^Ship could not reach the model provider "down"/);
    expect(body.error.message).not.toContain(realKey);
    // Its reservation is dropped: nothing was spent, and nothing stays in flight.
    const { rows } = await db.pool.query(
      "SELECT count(*)::int AS n FROM model_call_reservations WHERE run_id = $1",
      [runId],
    );
    expect(rows[0]?.n).toBe(0);
    expect((await readRunUsage(db.pool, runId)).calls).toBe(0);
  });

  it("refuses a token for any other run, after its run ends, and once revoked", async () => {
    const a = await runningRun();
    const b = await runningRun();
    const url = (runId: number) => `${gateway}/llm/runs/${runId}/sim/chat/completions`;
    const refused = async (response: Response) => {
      expect(response.status).toBe(401);
      const body = (await response.json()) as { error: { type: string } };
      expect(body.error.type).toBe("authentication_error");
    };
    await refused(await post(url(b.runId), a.token, chat("tools", false)));
    await refused(await post(url(a.runId), "ship_run_made-up", chat("tools", false)));
    await refused(await post(url(a.runId), "", chat("tools", false)));

    await db.pool.query("UPDATE runs SET state = 'succeeded' WHERE id = $1", [a.runId]);
    await refused(await post(url(a.runId), a.token, chat("tools", false)));

    await revokeGatewayToken(db.pool, b.runId);
    await refused(await post(url(b.runId), b.token, chat("tools", false)));
    expect((await readRunUsage(db.pool, a.runId)).calls).toBe(0);
  });

  it("refuses calls once the run's budget is spent, and marks the run", async () => {
    const { runId, token } = await runningRun();
    deps.runBudget = { kind: "tokens", amount: 1_000 };
    try {
      const url = `${gateway}/llm/runs/${runId}/sim/chat/completions`;
      expect((await post(url, token, chat("tools", false), "b1")).status).toBe(200);
      await waitForUsage(runId, 1);
      const refused = await post(url, token, chat("tools", false), "b2");
      expect(refused.status).toBe(402);
      const body = (await refused.json()) as { error: { type: string; message: string } };
      expect(body.error).toMatchObject({ type: "budget_exceeded" });
      expect(body.error.message).toBe(
        "This run's budget of 1,000 tokens is reached (1,250 tokens used).",
      );
      const { rows } = await db.pool.query("SELECT budget_reached FROM runs WHERE id = $1", [
        runId,
      ]);
      expect(rows[0]?.budget_reached).toBe(body.error.message);
      expect(model.requests.filter((r) => r.headers["x-session-id"] === "b2")).toHaveLength(0);
    } finally {
      deps.runBudget = undefined;
    }
  });

  it("refuses calls once the repository's monthly budget is spent", async () => {
    const { runId, token } = await runningRun();
    await db.pool.query(
      `INSERT INTO model_calls (run_id, repository_id, provider, model, status, cost_usd)
       VALUES ($1, 2, 'sim', 'tools', 200, 5)`,
      [runId],
    );
    deps.monthlyBudget = { kind: "usd", amount: 5 };
    try {
      const refused = await post(
        `${gateway}/llm/runs/${runId}/sim/chat/completions`,
        token,
        chat("tools", false),
      );
      expect(refused.status).toBe(402);
      const body = (await refused.json()) as { error: { message: string } };
      expect(body.error.message).toMatch(/^This repository's monthly budget of \$5\.00 is reached/);
    } finally {
      deps.monthlyBudget = undefined;
    }
  });

  it("forwards Anthropic's messages API with x-api-key and reads its streamed usage", async () => {
    const seen: Array<Record<string, string | string[] | undefined>> = [];
    const anthropic = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { "content-type": "text/event-stream" });
      const event = (type: string, data: unknown) =>
        res.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
      event("message_start", {
        type: "message_start",
        message: {
          id: "msg_1",
          usage: {
            input_tokens: 30,
            cache_read_input_tokens: 400,
            cache_creation_input_tokens: 70,
            output_tokens: 1,
          },
        },
      });
      event("content_block_delta", {
        type: "content_block_delta",
        index: 0,
        delta: { type: "text_delta", text: "Hi" },
      });
      event("message_delta", {
        type: "message_delta",
        delta: { stop_reason: "end_turn" },
        usage: { output_tokens: 12 },
      });
      event("message_stop", { type: "message_stop" });
      res.end();
    });
    anthropic.listen(0, "127.0.0.1");
    await once(anthropic, "listening");
    deps.providers = {
      ...deps.providers,
      anthropic: {
        options: {
          baseURL: `http://127.0.0.1:${(anthropic.address() as AddressInfo).port}/v1`,
          apiKey: realKey,
        },
      },
    };
    const handle = createGatewayHandler({
      ...deps,
      prices: { "claude-sonnet-4-5": { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 } },
    });
    const local = createServer((req, res) => void handle(req, res));
    local.listen(0, "127.0.0.1");
    await once(local, "listening");
    try {
      const { runId, token } = await runningRun("anthropic/claude-sonnet-4-5-20250929");
      const response = await fetch(
        `http://127.0.0.1:${(local.address() as AddressInfo).port}/llm/runs/${runId}/anthropic/messages`,
        {
          method: "POST",
          headers: {
            "x-api-key": token,
            "anthropic-version": "2023-06-01",
            "content-type": "application/json",
          },
          body: JSON.stringify({
            model: "claude-sonnet-4-5-20250929",
            max_tokens: 100,
            stream: true,
            messages: [],
          }),
        },
      );
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('"text":"Hi"');
      expect(seen[0]?.["x-api-key"]).toBe(realKey);
      expect(seen[0]?.["anthropic-version"]).toBe("2023-06-01");
      expect(seen[0]?.authorization).toBeUndefined();
      const usage = await waitForUsage(runId, 1);
      expect(usage).toMatchObject({ input: 30, cacheRead: 400, cacheWrite: 70, output: 12 });
      expect(usage.cost).toBeCloseTo((30 * 3 + 400 * 0.3 + 70 * 3.75 + 12 * 15) / 1e6, 6);
    } finally {
      local.close();
      anthropic.close();
    }
  });

  /** The call is recorded right after the answer ends: wait for it. */
  async function waitForUsage(runId: number, calls: number) {
    for (let i = 0; i < 100; i++) {
      const usage = await readRunUsage(db.pool, runId);
      if (usage.calls >= calls) return usage;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`run ${runId} has no ${calls} recorded call(s)`);
  }
});
