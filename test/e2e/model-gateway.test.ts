import { jest } from "@jest/globals";
import { getRun } from "../../src/runs/get-run.js";
import { authorizeShipAs } from "../../src/sim/authorize-ship-as.js";
import { askShip } from "../helpers/ask-ship.js";
import { awaitRun } from "../helpers/await-run.js";
import { readRepositoryFile } from "../helpers/read-repository-file.js";
import { startTestShip, type TestShip } from "../helpers/start-test-ship.js";
import { statusCommentOf } from "../helpers/status-comment-of.js";
import { waitFor } from "../helpers/wait-for.js";

// End-to-end timing on a 2-core machine running two test files at once: one retry,
// with the first failure printed, so a scheduling hiccup does not fail the build.
jest.retryTimes(1, { logErrorsBeforeRetry: true });

describe("tokens and cost through the gateway", () => {
  let t: TestShip;
  beforeAll(async () => {
    t = await startTestShip((world) => {
      const providers = JSON.parse(world.shipEnv.SHIP_PROVIDERS as string);
      providers.sim.models.priced = { name: "priced", tool_call: true };
      world.model.setScript("priced", [
        {
          toolCalls: [
            { name: "write", arguments: { filePath: "PRICED.md", content: "# Priced\n" } },
          ],
          usage: { input: 1_200, output: 80, cacheRead: 300 },
        },
        { reply: "Wrote PRICED.md", usage: { input: 1_500, output: 20 } },
      ]);
      return {
        SHIP_PROVIDERS: JSON.stringify(providers),
        SHIP_MODEL_PRICES: JSON.stringify({
          "sim/priced": { input: 3, output: 15, cacheRead: 0.3 },
        }),
      };
    });
    // Runs act as the person who asked (SHIP_INSTALLER_STANDS_IN is off by default).
    await authorizeShipAs({ shipUrl: t.config.publicUrl, login: t.world.sample.writer.login });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("shows the scripted model's usage and its cost in the status comment and on the run", async () => {
    const { comment } = askShip(t, "/ship --model sim/priced write PRICED.md");
    const run = await awaitRun(t, comment.id);
    expect(run.state).toBe("succeeded");
    // 2,700 uncached + 300 cached in, 100 out; (2,700 x 3 + 300 x 0.3 + 100 x 15) / 1e6 dollars.
    expect(statusCommentOf(t, run)).toContain("3,000 tokens in (300 from cache), 100 out, $0.0097");
    expect(run.result?.usage).toMatchObject({ input: 2_700, cacheRead: 300, output: 100 });
    expect(run.result?.usage?.cost).toBeCloseTo(0.00969, 8);
    const metrics = await (await fetch(`${t.config.publicUrl}/metrics`)).text();
    expect(metrics).toMatch(/^ship_model_tokens_total\{kind="output"\} 100$/m);
    expect(metrics).toMatch(/^ship_model_cost_usd_total 0\.00969/m);
  });
});

describe("a run stopped by its budget", () => {
  let t: TestShip;
  beforeAll(async () => {
    // The first model call is allowed (nothing spent yet), the second is not.
    t = await startTestShip({ SHIP_RUN_BUDGET: "1 tokens" });
    await authorizeShipAs({ shipUrl: t.config.publicUrl, login: t.world.sample.writer.login });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("keeps its work as a checkpoint on the branch, says budget reached, and /ship retry continues there", async () => {
    const { issue, comment } = askShip(t, "/ship --model sim/append-notes keep notes");
    const first = await awaitRun(t, comment.id);
    expect(first).toMatchObject({ state: "failed", errorCategory: "budget" });
    const branch = first.branch as string;
    expect(await readRepositoryFile(t, "NOTES.md", branch)).toBe("one more step\n");
    expect(first.result?.commits).toHaveLength(1);
    expect(first.result?.commits[0]?.message).toMatch(
      /^Checkpoint: This run's budget of 1 tokens is reached/,
    );
    const pull = first.result?.pullRequest;
    expect(pull).toBeDefined();
    const body = statusCommentOf(t, first);
    expect(body).toContain("❌ **The run's budget ran out** <sub>`budget`");
    expect(body).toContain("Budget reached: This run's budget of 1 tokens is reached");
    expect(body).toContain(`The work so far is committed on \`${branch}\` (#${pull?.number})`);
    expect(body).toContain("Comment `/ship retry` to continue on the same branch");
    // Ended: its token no longer works.
    const { rows } = await t.db.pool.query("SELECT gateway_token_hash FROM runs WHERE id = $1", [
      first.id,
    ]);
    expect(rows[0]?.gateway_token_hash).toBeNull();

    t.world.github.createIssueComment({
      repository: t.world.sample.repository,
      issueNumber: issue.number,
      author: t.world.sample.writer.login,
      body: "/ship retry",
    });
    const second = await waitFor(
      "the retried run to end",
      async () => {
        const { rows: retried } = await t.db.pool.query<{ id: number }>(
          "SELECT id::int AS id FROM runs WHERE retry_of = $1",
          [first.id],
        );
        const run = retried[0] && (await getRun(t.db.pool, retried[0].id));
        return run && run.state === "failed" && statusCommentOf(t, run).includes("❌")
          ? run
          : undefined;
      },
      60_000,
    );
    expect(second).toMatchObject({ errorCategory: "budget", branch });
    // It built on the checkpoint: the branch now holds both runs' steps, in the same PR.
    expect(await readRepositoryFile(t, "NOTES.md", branch)).toBe("one more step\none more step\n");
    expect(second.result?.pullRequest?.number).toBe(pull?.number);
  });
});

describe("a model without a price under a dollar budget", () => {
  let t: TestShip;
  beforeAll(async () => {
    // No price for the sim's models (whatever the world sets); SHIP_RUN_BUDGET is its default, $10.
    t = await startTestShip({ SHIP_MODEL_PRICES: "{}" });
    await authorizeShipAs({ shipUrl: t.config.publicUrl, login: t.world.sample.writer.login });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("is refused before any call reaches the provider, and the status comment says why", async () => {
    const before = t.world.model.requests.filter((request) => request.kind === "turn").length;
    const { comment } = askShip(t, "/ship --model sim/write-readme add a README");
    const run = await awaitRun(t, comment.id);
    expect(run.state).toBe("failed");
    expect(statusCommentOf(t, run)).toContain('no price for the model "sim/write-readme"');
    expect(t.world.model.requests.filter((request) => request.kind === "turn")).toHaveLength(
      before,
    );
  });
});
