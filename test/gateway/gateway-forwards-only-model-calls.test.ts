// The gateway forwards only model calls (security review finding 4, 15): one run's
// token reaches only its own provider's model endpoints, for its own model, with
// allow-listed headers. Every refusal is a 4xx in the provider's error shape, and the
// provider (the model stand-in, which records every request it gets) sees nothing.
import { once } from "node:events";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { migrate } from "../../src/db/migrate.js";
import { createGatewayHandler } from "../../src/gateway/create-gateway-handler.js";
import { upstreamOf } from "../../src/gateway/gateway-providers.js";
import { issueGatewayToken } from "../../src/gateway/issue-gateway-token.js";
import { type ModelServer, startModelServer } from "../../src/sim/model/start-model-server.js";
import { createTestDatabase, type TestDatabase } from "../helpers/create-test-database.js";
import { insertTestRun } from "../helpers/insert-test-run.js";
import { testLogger } from "../helpers/test-logger.js";

const realKey = "sk-canary-real-provider-key-9c1e";

let db: TestDatabase;
let model: ModelServer;
let server: Server;
let port: number;

beforeAll(async () => {
  db = await createTestDatabase();
  await migrate(db.pool, testLogger());
  model = await startModelServer();
  model.setScript("tools", [{ reply: "Done.", usage: { input: 10, output: 2 } }]);
  const providers = {
    sim: { npm: "@ai-sdk/openai-compatible", options: { baseURL: model.baseUrl, apiKey: realKey } },
    other: {
      npm: "@ai-sdk/openai-compatible",
      options: { baseURL: model.baseUrl, apiKey: realKey },
    },
    claude: { npm: "@ai-sdk/anthropic", options: { baseURL: model.baseUrl, apiKey: realKey } },
    // A model whose name at the provider differs from its key in the config.
    alias: {
      npm: "@ai-sdk/openai-compatible",
      options: { baseURL: model.baseUrl, apiKey: realKey },
      models: { fast: { id: "tools" } },
    },
  };
  const handle = createGatewayHandler({
    db: db.pool,
    providers,
    prices: {},
    runBudget: undefined,
    monthlyBudget: undefined,
    log: testLogger(),
  });
  server = createServer((req, res) => {
    handle(req, res).then(
      (handled) => {
        if (!handled) res.writeHead(404).end();
      },
      () => res.writeHead(500).end(),
    );
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.close();
  await model.stop();
  await db.drop();
});

async function runningRun(runModel = "sim/tools"): Promise<{ runId: number; token: string }> {
  const runId = await insertTestRun(db.pool, { thread: Math.floor(Math.random() * 1e6) });
  await db.pool.query("UPDATE runs SET state = 'running', model = $2 WHERE id = $1", [
    runId,
    runModel,
  ]);
  return { runId, token: await issueGatewayToken(db.pool, runId) };
}

interface Answer {
  status: number;
  json: Record<string, unknown> | undefined;
}

/** A request with its path exactly as written: `fetch` would resolve `..` and `%2e` first. */
function send(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const length = body === undefined ? {} : { "content-length": String(Buffer.byteLength(body)) };
    const options = { host: "127.0.0.1", port, method, path, headers: { ...headers, ...length } };
    const req = request(options, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json: Record<string, unknown> | undefined;
        try {
          json = JSON.parse(text) as Record<string, unknown>;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, json });
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

const chatBody = (name = "tools") =>
  JSON.stringify({ model: name, messages: [{ role: "user", content: "hi" }] });
const openai = (token: string, extra: Record<string, string> = {}) => ({
  authorization: `Bearer ${token}`,
  "content-type": "application/json",
  ...extra,
});

/** Runs `act` and expects the model stand-in to have received nothing meanwhile. */
async function nothingUpstream(act: () => Promise<void>): Promise<void> {
  const before = model.requests.length;
  await act();
  expect(model.requests.slice(before)).toEqual([]);
}

/** An OpenAI-shaped error with this status and a plain message. */
function expectOpenAiError(answer: Answer, status: number, message: RegExp) {
  expect(answer.status).toBe(status);
  const error = (answer.json as { error?: { message?: unknown } } | undefined)?.error;
  expect(error?.message).toMatch(message);
}

describe("the gateway's paths", () => {
  it("refuses dot segments, empty segments and encoded traversal, whatever comes after", async () => {
    const { runId, token } = await runningRun();
    const base = `/llm/runs/${runId}/sim`;
    const paths = [
      `${base}/../sim/chat/completions`,
      `${base}/./chat/completions`,
      `${base}//chat/completions`,
      `${base}/chat/completions/..`,
      `${base}/../../organization/projects`,
      `/llm/runs/${runId}/../${runId}/sim/chat/completions`,
      `/llm/runs/${runId}/./sim/chat/completions`,
      `${base}/%2e%2e/organization/projects`,
      `${base}/%2E%2E/files`,
      `${base}/.%2e/files`,
      `${base}/chat%2fcompletions`,
      `${base}/chat%2Fcompletions`,
      `${base}/%252e%252e/files`,
      `${base}/chat%252fcompletions`,
      `${base}/chat\\..\\files`,
    ];
    await nothingUpstream(async () => {
      for (const path of paths) {
        const answer = await send("POST", path, openai(token), chatBody());
        expectOpenAiError(answer, 400, /dot segments .* percent-encoding/);
      }
    });
  });

  it("forwards only POST to the OpenAI protocol's /chat/completions and /responses", async () => {
    const { runId, token } = await runningRun();
    const base = `/llm/runs/${runId}/sim`;
    await nothingUpstream(async () => {
      for (const path of [
        "/models",
        "/files",
        "/batches",
        "/fine_tuning/jobs",
        "/organization/projects",
        "/messages",
        "/chat/completions/x",
        "/embeddings",
      ]) {
        const answer = await send("POST", `${base}${path}`, openai(token), chatBody());
        expectOpenAiError(answer, 404, /only model calls: POST \/chat\/completions or \/responses/);
      }
      for (const method of ["GET", "DELETE", "PUT", "PATCH"]) {
        const answer = await send(method, `${base}/chat/completions`, openai(token), chatBody());
        expectOpenAiError(answer, 405, new RegExp(`only POST to /chat/completions; not ${method}`));
      }
      expectOpenAiError(await send("GET", `${base}/models`, openai(token)), 404, /model calls/);
    });
    const bodies = {
      "/chat/completions": chatBody(),
      "/responses": JSON.stringify({ model: "tools", input: "hi" }),
    };
    for (const [path, body] of Object.entries(bodies)) {
      const before = model.requests.length;
      const answer = await send("POST", `${base}${path}`, openai(token), body);
      expect(answer.status).toBe(200);
      expect(model.requests.slice(before).map((r) => [r.method, r.path])).toEqual([
        ["POST", `/v1${path}`],
      ]);
    }
  });

  it("forwards only POST to Anthropic's /messages and /messages/count_tokens, with errors in Anthropic's shape", async () => {
    const { runId, token } = await runningRun("claude/tools");
    const base = `/llm/runs/${runId}/claude`;
    const headers = {
      "x-api-key": token,
      "anthropic-version": "2023-06-01",
      "content-type": "application/json",
    };
    const body = JSON.stringify({ model: "tools", max_tokens: 10, messages: [] });
    await nothingUpstream(async () => {
      for (const path of ["/messages/batches", "/files", "/models", "/chat/completions"]) {
        const answer = await send("POST", `${base}${path}`, headers, body);
        expect(answer.status).toBe(404);
        expect(answer.json).toEqual({
          type: "error",
          error: {
            type: "not_found_error",
            message: expect.stringMatching(/POST \/messages or \/messages\/count_tokens/),
          },
        });
      }
      const get = await send("GET", `${base}/messages`, headers);
      expect(get.status).toBe(405);
      expect(get.json).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
    });
    for (const path of ["/messages", "/messages/count_tokens"]) {
      const before = model.requests.length;
      await send("POST", `${base}${path}`, headers, body);
      expect(model.requests.slice(before).map((r) => [r.method, r.path])).toEqual([
        ["POST", `/v1${path}`],
      ]);
    }
  });
});

describe("the run's provider and model", () => {
  it("refuses every configured provider but the run's own", async () => {
    const { runId, token } = await runningRun();
    await nothingUpstream(async () => {
      for (const provider of ["other", "alias", "openai", "anthropic", "nowhere"]) {
        const answer = await send(
          "POST",
          `/llm/runs/${runId}/${provider}/chat/completions`,
          openai(token),
          chatBody(),
        );
        expectOpenAiError(answer, 404, new RegExp(`uses the provider "sim".*"${provider}"`));
      }
      const claude = await send(
        "POST",
        `/llm/runs/${runId}/claude/messages`,
        { "x-api-key": token, "anthropic-version": "2023-06-01" },
        JSON.stringify({ model: "tools", max_tokens: 10, messages: [] }),
      );
      expect(claude.status).toBe(404);
    });
  });

  it("refuses any model but the run's, and bodies without one", async () => {
    const { runId, token } = await runningRun();
    const url = `/llm/runs/${runId}/sim/chat/completions`;
    await nothingUpstream(async () => {
      for (const name of ["gpt-5", "tools-2", "TOOLS", "sim/tools", ""]) {
        const answer = await send("POST", url, openai(token), chatBody(name));
        expectOpenAiError(answer, 403, /uses the model "sim\/tools"/);
      }
      // JSON.parse keeps the last of duplicate keys; another parser might keep the first.
      const duplicate = '{"model":"tools","model":"gpt-5","messages":[]}';
      expectOpenAiError(await send("POST", url, openai(token), duplicate), 403, /"gpt-5"/);
      for (const body of ["", "not json", "[]", '{"messages":[]}', '{"model":7}']) {
        const answer = await send("POST", url, openai(token), body);
        expectOpenAiError(answer, 400, /only JSON model calls with a "model"/);
      }
    });
  });

  it("sends the provider the very model it checked, and knows a model's name at the provider", async () => {
    const sim = await runningRun();
    const before = model.requests.length;
    const duplicate =
      '{"model":"gpt-5","model":"tools","messages":[{"role":"user","content":"hi"}]}';
    const answer = await send(
      "POST",
      `/llm/runs/${sim.runId}/sim/chat/completions`,
      openai(sim.token),
      duplicate,
    );
    expect(answer.status).toBe(200);
    expect(model.requests.slice(before).map((r) => r.body)).toEqual([
      { model: "tools", messages: [{ role: "user", content: "hi" }] },
    ]);

    const alias = await runningRun("alias/fast");
    for (const name of ["fast", "tools"]) {
      const response = await send(
        "POST",
        `/llm/runs/${alias.runId}/alias/chat/completions`,
        openai(alias.token),
        chatBody(name),
      );
      expect(response.status).toBe(200);
    }
  });

  it("forwards nothing for a run without a model", async () => {
    const { runId, token } = await runningRun();
    await db.pool.query("UPDATE runs SET model = NULL WHERE id = $1", [runId]);
    await nothingUpstream(async () => {
      const answer = await send(
        "POST",
        `/llm/runs/${runId}/sim/chat/completions`,
        openai(token),
        chatBody(),
      );
      expectOpenAiError(answer, 403, /no model recorded/);
    });
  });
});

describe("headers and names", () => {
  it("passes on only allow-listed headers", async () => {
    const { runId, token } = await runningRun();
    const before = model.requests.length;
    const answer = await send(
      "POST",
      `/llm/runs/${runId}/sim/chat/completions`,
      openai(token, {
        accept: "application/json",
        "user-agent": "opencode/1.18.33",
        "x-session-id": "ses_1",
        "openai-organization": "org-someone-else",
        "openai-project": "proj_other",
        "openai-beta": "assistants=v2",
        cookie: "a=b",
        "x-forwarded-for": "10.0.0.1",
        "x-custom": "anything",
      }),
      chatBody(),
    );
    expect(answer.status).toBe(200);
    const [seen] = model.requests.slice(before);
    const { host: _host, "content-length": _length, connection: _c, ...rest } = seen?.headers ?? {};
    expect(rest).toEqual({
      authorization: `Bearer ${realKey}`,
      "content-type": "application/json",
      accept: "application/json",
      "user-agent": "opencode/1.18.33",
      "x-session-id": "ses_1",
      // Added by Node's fetch on the way out, not passed on from the client.
      "accept-encoding": expect.any(String),
      "accept-language": expect.any(String),
      "sec-fetch-mode": expect.any(String),
    });
  });

  it("passes on anthropic-version, and of anthropic-beta only the streaming betas", async () => {
    const { runId, token } = await runningRun("claude/tools");
    const before = model.requests.length;
    await send(
      "POST",
      `/llm/runs/${runId}/claude/messages`,
      {
        "x-api-key": token,
        "anthropic-version": "2023-06-01",
        "anthropic-beta":
          "mcp-client-2025-04-04, interleaved-thinking-2025-05-14,files-api-2025-04-14,code-execution-2025-05-22",
        "content-type": "application/json",
      },
      JSON.stringify({ model: "tools", max_tokens: 10, messages: [] }),
    );
    const [seen] = model.requests.slice(before);
    expect(seen?.headers).toMatchObject({
      "x-api-key": realKey,
      "anthropic-version": "2023-06-01",
      "anthropic-beta": "interleaved-thinking-2025-05-14",
    });
  });

  it("answers prototype names as provider or run ids with 401 or 404, never 500", async () => {
    const { runId, token } = await runningRun();
    const names = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"];
    await nothingUpstream(async () => {
      for (const name of names) {
        const path = `/llm/runs/${runId}/${name}/chat/completions`;
        expectOpenAiError(await send("POST", path, openai("nope"), chatBody()), 401, /refused/);
        expectOpenAiError(await send("POST", path, openai(token), chatBody()), 404, /provider/);
        const asRun = `/llm/runs/${name}/sim/chat/completions`;
        expectOpenAiError(await send("POST", asRun, openai(token), chatBody()), 404, /model calls/);
      }
    });
    for (const name of names) expect(upstreamOf({}, name)).toBeUndefined();
  });
});
