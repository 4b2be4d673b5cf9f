// The gateway holds runs to their budgets (security review finding 5, 10, 14): chat
// streams always report usage, unpriced models are refused under a dollar budget, a
// repository's `budget:` only lowers the operator's, worst costs are reserved before a
// call goes out, calls in flight are capped, and large answers are read bounded. The
// provider is the model stand-in (or a small recorded-shape server), the database real.
import { once } from "node:events";
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Budget } from "../../src/config/budget.js";
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

const realKey = "sk-canary-budget-key-51d0";
/** $3 in and $15 out per million tokens: a call of 1,000 in and 50 out costs $0.00375. */
const price = { input: 3, output: 15 };
const oneCall = (1_000 * 3 + 50 * 15) / 1e6;

let db: TestDatabase;
let model: ModelServer;
const servers: Server[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  await migrate(db.pool, testLogger());
  model = await startModelServer();
  for (const name of ["plain", "unpriced", "capped", "ten", "slow"]) {
    model.setScript(name, [
      { reply: "Done.", usage: { input: 1_000, output: 50 }, delayMs: name === "slow" ? 250 : 50 },
    ]);
  }
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

async function listen(listener: RequestListener): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A gateway in front of the model stand-in (provider `sim`), with these settings. */
function gateway(settings: Partial<GatewayDependencies> = {}): Promise<string> {
  const handle = createGatewayHandler({
    db: db.pool,
    providers: {
      sim: {
        npm: "@ai-sdk/openai-compatible",
        options: { baseURL: model.baseUrl, apiKey: realKey },
      },
    },
    prices: Object.fromEntries(
      ["plain", "capped", "ten", "slow", "stall"].map((name) => [`sim/${name}`, price]),
    ),
    runBudget: undefined,
    monthlyBudget: undefined,
    log: testLogger(),
    ...settings,
  });
  return listen((req, res) => {
    void handle(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
}

async function runningRun(
  runModel: string,
  repositoryBudget?: Budget,
): Promise<{ runId: number; token: string }> {
  const runId = await insertTestRun(db.pool, { thread: Math.floor(Math.random() * 1e6) });
  await db.pool.query(
    `UPDATE runs SET state = 'running', model = $2,
       request = CASE WHEN $3::jsonb IS NULL THEN request
                      ELSE jsonb_set(request, '{settings}', jsonb_build_object('budget', $3::jsonb)) END
     WHERE id = $1`,
    [runId, runModel, repositoryBudget ? JSON.stringify(repositoryBudget) : null],
  );
  return { runId, token: await issueGatewayToken(db.pool, runId) };
}

function chat(base: string, runId: number, token: string, body: object, signal?: AbortSignal) {
  return fetch(`${base}/llm/runs/${runId}/sim/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ messages: [{ role: "user", content: "add a README" }], ...body }),
    signal,
  });
}

const requestsFor = (name: string) => model.requests.filter((request) => request.model === name);

async function reservations(runId: number): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM model_call_reservations WHERE run_id = $1",
    [runId],
  );
  return rows[0]?.n ?? -1;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("usage is always counted", () => {
  it("asks for a chat stream's usage chunk even when the client did not, and records it", async () => {
    const base = await gateway();
    const { runId, token } = await runningRun("sim/plain");
    const answer = await chat(base, runId, token, {
      model: "plain",
      stream: true,
      stream_options: { other: 1 },
    });
    expect(answer.status).toBe(200);
    await answer.text();
    const sent = requestsFor("plain").at(-1)?.body as { stream_options?: unknown };
    expect(sent.stream_options).toEqual({ other: 1, include_usage: true });
    const usage = await waitFor("the call's record", async () => {
      const used = await readRunUsage(db.pool, runId);
      return used.calls > 0 ? used : undefined;
    });
    expect(usage).toMatchObject({ input: 1_000, output: 50 });
    expect(usage.cost).toBeCloseTo(oneCall, 8);
  });

  it("records a Responses API stream cut off with response.incomplete", async () => {
    // The events OpenAI's Responses API streams (as OpenCode's `openai` provider reads
    // them), trimmed to the fields around usage.
    const response = { id: "resp_1", object: "response", model: "gpt-5", usage: null };
    const upstream = await listen((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8" });
      const event = (type: string, data: object) =>
        res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
      event("response.created", {
        sequence_number: 0,
        response: { ...response, status: "in_progress" },
      });
      event("response.output_text.delta", { sequence_number: 1, item_id: "msg_1", delta: "Hal" });
      event("response.incomplete", {
        sequence_number: 2,
        response: {
          ...response,
          status: "incomplete",
          incomplete_details: { reason: "max_output_tokens" },
          usage: {
            input_tokens: 1_500,
            input_tokens_details: { cached_tokens: 1_200 },
            output_tokens: 80,
            output_tokens_details: { reasoning_tokens: 64 },
            total_tokens: 1_580,
          },
        },
      });
      res.end();
    });
    const base = await gateway({
      providers: { openai: { options: { baseURL: `${upstream}/v1`, apiKey: realKey } } },
      prices: { "gpt-5": { input: 1.25, output: 10, cacheRead: 0.125 } },
      runBudget: { kind: "usd", amount: 10 },
    });
    const { runId, token } = await runningRun("openai/gpt-5");
    const answer = await fetch(`${base}/llm/runs/${runId}/openai/responses`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-5", input: "hi", stream: true, max_output_tokens: 80 }),
    });
    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain("response.incomplete");
    const usage = await waitFor("the call's record", async () => {
      const used = await readRunUsage(db.pool, runId);
      return used.calls > 0 ? used : undefined;
    });
    expect(usage).toMatchObject({ input: 300, cacheRead: 1_200, output: 80, cacheWrite: 0 });
    expect(usage.cost).toBeCloseTo((300 * 1.25 + 1_200 * 0.125 + 80 * 10) / 1e6, 8);
  });

  it("passes an answer too large to read for usage through whole, and charges its worst cost", async () => {
    const filler = "x".repeat(9 * 1024 * 1024);
    const upstream = await listen((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          object: "chat.completion",
          choices: [{ index: 0, message: { role: "assistant", content: filler } }],
          usage: { prompt_tokens: 1, completion_tokens: 1 },
        }),
      );
    });
    const base = await gateway({
      providers: { big: { npm: "@ai-sdk/openai-compatible", options: { baseURL: upstream } } },
      prices: { "big/huge": price },
    });
    const { runId, token } = await runningRun("big/huge");
    const body = JSON.stringify({ model: "huge", max_tokens: 500, messages: [] });
    const answer = await fetch(`${base}/llm/runs/${runId}/big/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body,
    });
    expect(answer.status).toBe(200);
    const text = await answer.text();
    expect(text.length).toBeGreaterThan(filler.length);
    expect((JSON.parse(text) as { usage: unknown }).usage).toEqual({
      prompt_tokens: 1,
      completion_tokens: 1,
    });
    const usage = await waitFor("the call's record", async () => {
      const used = await readRunUsage(db.pool, runId);
      return used.calls > 0 ? used : undefined;
    });
    // Not the 1 + 1 tokens at the end of the body: the call's worst, as reserved.
    expect(usage).toMatchObject({ input: Math.ceil(body.length / 3), output: 500 });
  });
});

describe("which budget applies", () => {
  it("refuses a model without a price under a dollar budget, and forwards it under a token budget", async () => {
    const inDollars = await gateway({ runBudget: { kind: "usd", amount: 10 } });
    const { runId, token } = await runningRun("sim/unpriced");
    const before = requestsFor("unpriced").length;
    const refused = await chat(inDollars, runId, token, { model: "unpriced" });
    expect(refused.status).toBe(403);
    const body = (await refused.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe("permission_error");
    expect(body.error.message).toMatch(/no price for the model "sim\/unpriced".*\$10\.00/);
    expect(body.error.message).toContain("SHIP_MODEL_PRICES");
    // A repository's dollar budget under an operator's token budget applies too.
    const tokensButRepoDollars = await gateway({ runBudget: { kind: "tokens", amount: 100_000 } });
    const other = await runningRun("sim/unpriced", { kind: "usd", amount: 5 });
    expect(
      (await chat(tokensButRepoDollars, other.runId, other.token, { model: "unpriced" })).status,
    ).toBe(403);
    expect(requestsFor("unpriced")).toHaveLength(before);

    const inTokens = await gateway({ runBudget: { kind: "tokens", amount: 100_000 } });
    const tokensRun = await runningRun("sim/unpriced");
    const allowed = await chat(inTokens, tokensRun.runId, tokensRun.token, { model: "unpriced" });
    expect(allowed.status).toBe(200);
    expect(requestsFor("unpriced")).toHaveLength(before + 1);
  });

  it("holds a repository's budget: $1000 to the operator's $10", async () => {
    const base = await gateway({ runBudget: { kind: "usd", amount: 10 } });
    const { runId, token } = await runningRun("sim/capped", { kind: "usd", amount: 1_000 });
    await db.pool.query(
      `INSERT INTO model_calls (run_id, repository_id, provider, model, status, cost_usd)
       VALUES ($1, 2, 'sim', 'capped', 200, 10)`,
      [runId],
    );
    const refused = await chat(base, runId, token, { model: "capped" });
    expect(refused.status).toBe(402);
    const body = (await refused.json()) as { error: { message: string } };
    expect(body.error.message).toBe("This run's budget of $10.00 is reached ($10.00 used).");
    expect(requestsFor("capped")).toHaveLength(0);

    // A lower one in the same unit applies; one in another unit applies beside it.
    const lower = await runningRun("sim/capped", { kind: "usd", amount: 0.001 });
    await db.pool.query(
      `INSERT INTO model_calls (run_id, repository_id, provider, model, status, cost_usd)
       VALUES ($1, 2, 'sim', 'capped', 200, 0.001)`,
      [lower.runId],
    );
    expect((await chat(base, lower.runId, lower.token, { model: "capped" })).status).toBe(402);
    const tokens = await runningRun("sim/capped", { kind: "tokens", amount: 100 });
    await db.pool.query(
      `INSERT INTO model_calls (run_id, repository_id, provider, model, status, input_tokens)
       VALUES ($1, 2, 'sim', 'capped', 200, 100)`,
      [tokens.runId],
    );
    const byTokens = await chat(base, tokens.runId, tokens.token, { model: "capped" });
    expect(((await byTokens.json()) as { error: { message: string } }).error.message).toBe(
      "This run's budget of 100 tokens is reached (100 tokens used).",
    );
    expect(requestsFor("capped")).toHaveLength(0);
  });
});

describe("parallel calls", () => {
  it("lets 10 parallel calls under a budget for one spend at most the budget plus one call", async () => {
    const budget = oneCall * 1.1;
    const base = await gateway({ runBudget: { kind: "usd", amount: budget } });
    const { runId, token } = await runningRun("sim/ten");
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        chat(base, runId, token, { model: "ten", max_tokens: 1_000 }).then(async (answer) => ({
          status: answer.status,
          body: await answer.text(),
        })),
      ),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((status) => status === 200 || status === 402)).toBe(true);
    // The first call goes out alone; the next waits for it and, with budget left, goes
    // out alone too; then the budget is spent. Without reservations all 10 went out.
    expect(requestsFor("ten").length).toBeLessThanOrEqual(2);
    const usage = await readRunUsage(db.pool, runId);
    expect(usage.calls).toBe(requestsFor("ten").length);
    expect(usage.cost).toBeLessThanOrEqual(budget + oneCall + 1e-12);
    expect(await reservations(runId)).toBe(0);
  });

  it("forwards at most callsInFlight calls of a run at once; the others wait their turn", async () => {
    const base = await gateway({ callsInFlight: 2 });
    const { runId, token } = await runningRun("sim/slow");
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => chat(base, runId, token, { model: "slow", max_tokens: 100 })),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 200]);
    await Promise.all(answers.map((answer) => answer.text()));
    const seen = requestsFor("slow");
    expect(seen).toHaveLength(6);
    const overlapping = seen.map(
      (a) =>
        seen.filter((b) => b.receivedAt <= a.receivedAt && (b.endedAt ?? Infinity) > a.receivedAt)
          .length,
    );
    expect(Math.max(...overlapping)).toBeLessThanOrEqual(2);
    expect(
      await waitFor("the records", async () =>
        (await readRunUsage(db.pool, runId)).calls === 6 ? true : undefined,
      ),
    ).toBe(true);
  });

  it("answers 429 in the provider's shape when no call ends in time, and settles an aborted call at its worst", async () => {
    const base = await gateway({ callsInFlight: 1, callWaitMs: 300 });
    const { runId, token } = await runningRun("sim/stall");
    const abort = new AbortController();
    const first = await chat(
      base,
      runId,
      token,
      { model: "stall", stream: true, max_tokens: 700 },
      abort.signal,
    );
    expect(first.status).toBe(200);
    const started = Date.now();
    const second = await chat(base, runId, token, { model: "stall", max_tokens: 700 });
    expect(second.status).toBe(429);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    const body = (await second.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe("rate_limit_error");
    expect(body.error.message).toContain("SHIP_GATEWAY_CALLS_IN_FLIGHT");
    expect(requestsFor("stall")).toHaveLength(1);
    expect(await reservations(runId)).toBe(1);

    abort.abort();
    const usage = await waitFor("the aborted call's record", async () => {
      const used = await readRunUsage(db.pool, runId);
      return used.calls > 0 ? used : undefined;
    });
    // Cut off before its usage came: charged what was reserved, 700 tokens out.
    expect(usage.output).toBe(700);
    expect(await reservations(runId)).toBe(0);
  });
});
