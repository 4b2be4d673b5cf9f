import { jest } from "@jest/globals";
import { simProviderConfig } from "../../src/sim/model/sim-provider-config.js";
import type { ModelProtocol } from "../../src/sim/model/wire-format.js";
import { askShip } from "../helpers/ask-ship.js";
import { awaitRun } from "../helpers/await-run.js";
import { readRepositoryFile } from "../helpers/read-repository-file.js";
import { startTestShip, type TestShip } from "../helpers/start-test-ship.js";
import { statusCommentOf } from "../helpers/status-comment-of.js";

// End-to-end timing on a 2-core machine running two test files at once: one retry,
// with the first failure printed, so a scheduling hiccup does not fail the build.
jest.retryTimes(1, { logErrorsBeforeRetry: true });

const price = { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 };

/**
 * One provider per API OpenCode speaks with real providers, named as a user would:
 * `sim` is OpenAI-compatible (chat completions), `openai` is OpenCode's OpenAI
 * provider (the Responses API), `anthropic` its Anthropic one (Messages). `summary` is
 * what the status comment says: every token in, cache reads, out, cost.
 */
const scripted = {
  chat: {
    provider: "sim",
    usage: [
      { input: 1_000, output: 60, cacheRead: 200 },
      { input: 1_100, output: 15 },
    ],
    // (2,100 x 3 + 200 x 0.3 + 75 x 15) / 1e6 = $0.007485
    summary: "2,300 tokens in (200 from cache), 75 out, $0.0075",
    cost: 0.007485,
  },
  responses: {
    provider: "openai",
    usage: [
      { input: 2_000, output: 90, cacheRead: 1_500 },
      { input: 2_200, output: 25, cacheRead: 1_800 },
    ],
    // (4,200 x 3 + 3,300 x 0.3 + 115 x 15) / 1e6 = $0.015315
    summary: "7,500 tokens in (3,300 from cache), 115 out, $0.0153",
    cost: 0.015315,
  },
  messages: {
    provider: "anthropic",
    usage: [
      { input: 40, output: 120, cacheRead: 3_000, cacheWrite: 500 },
      { input: 60, output: 31, cacheRead: 3_500 },
    ],
    // (100 x 3 + 6,500 x 0.3 + 500 x 3.75 + 151 x 15) / 1e6 = $0.00639
    summary: "7,100 tokens in (6,500 from cache), 151 out, $0.0064",
    cost: 0.00639,
  },
} as const;

const protocols = Object.keys(scripted) as ModelProtocol[];
const scriptOf = (protocol: ModelProtocol) => `ship-over-${protocol}`;
const fileOf = (protocol: ModelProtocol) => `${protocol.toUpperCase()}.md`;

describe("runs over each provider API, through the gateway", () => {
  let t: TestShip;
  beforeAll(async () => {
    t = await startTestShip((world) => {
      const providers = JSON.parse(world.shipEnv.SHIP_PROVIDERS as string);
      const prices: Record<string, typeof price> = {};
      for (const protocol of protocols) {
        const { provider, usage } = scripted[protocol];
        const script = scriptOf(protocol);
        world.model.setScript(script, [
          {
            toolCalls: [
              {
                name: "write",
                arguments: { filePath: fileOf(protocol), content: `# Over ${protocol}\n` },
              },
            ],
            usage: usage[0],
          },
          { reply: `Wrote ${fileOf(protocol)}`, usage: usage[1] },
        ]);
        const config = simProviderConfig({
          baseUrl: world.model.baseUrl,
          models: [script],
          protocol,
        });
        providers[provider] = {
          ...config,
          models: { ...providers[provider]?.models, ...config.models },
        };
        prices[`${provider}/${script}`] = price;
      }
      return {
        SHIP_PROVIDERS: JSON.stringify(providers),
        SHIP_MODEL_PRICES: JSON.stringify(prices),
      };
    });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it.each(protocols)(
    "over %s: writes the file, opens the PR, and records the scripted tokens and their cost",
    async (protocol) => {
      const { provider, usage, summary, cost } = scripted[protocol];
      const script = scriptOf(protocol);
      const { comment } = askShip(
        t,
        `/ship --model ${provider}/${script} write ${fileOf(protocol)}`,
      );
      const run = await awaitRun(t, comment.id);
      expect(run.state).toBe("succeeded");
      expect(run.result?.pullRequest).toBeDefined();
      expect(await readRepositoryFile(t, fileOf(protocol), run.branch as string)).toBe(
        `# Over ${protocol}\n`,
      );

      // OpenCode called the API its provider speaks, and only that one.
      const calls = t.world.model.requests.filter((request) => request.model === script);
      expect(new Set(calls.map((request) => request.protocol))).toEqual(new Set([protocol]));
      expect(calls.filter((request) => request.kind === "turn").map((r) => r.turn)).toEqual([0, 1]);

      const sum = (key: "input" | "output" | "cacheRead" | "cacheWrite") =>
        usage.reduce((total, step) => total + ((step as Record<string, number>)[key] ?? 0), 0);
      expect(run.result?.usage).toMatchObject({
        input: sum("input"),
        output: sum("output"),
        cacheRead: sum("cacheRead"),
        cacheWrite: sum("cacheWrite"),
      });
      expect(run.result?.usage?.cost).toBeCloseTo(cost, 9);
      expect(statusCommentOf(t, run)).toContain(summary);

      const { rows } = await t.db.pool.query<{ provider: string; status: number; tokens: number }>(
        `SELECT provider, status, (input_tokens + output_tokens + cache_read_tokens + cache_write_tokens)::int AS tokens
           FROM model_calls WHERE run_id = $1 ORDER BY id`,
        [run.id],
      );
      expect(rows.every((row) => row.provider === provider && row.status === 200)).toBe(true);
      expect(rows.filter((row) => row.tokens > 0)).toHaveLength(2);
    },
  );
});
