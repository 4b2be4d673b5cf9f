// Ship's agent driver on the real path: the real `opencode` binary serving inside a
// sandbox of the E2B stand-in (bwrap when available), reached through the real `e2b`
// SDK and the sandbox's port routing, talking to the scripted model sim.
import { randomBytes } from "node:crypto";
import { jest } from "@jest/globals";
import type { Event } from "@opencode-ai/sdk/v2/client";
import type { AgentActivity } from "../../src/agent/create-session-tracker.js";
import { runAgentSession } from "../../src/agent/run-agent-session.js";
import { runCommandScript } from "../../src/sim/model/run-command-script.js";
import type { ScriptStep } from "../../src/sim/model/script-step.js";
import { writeFileScript } from "../../src/sim/model/write-file-script.js";
import { type AgentWorld, simCost, startAgentWorld } from "./start-agent-world.js";

// End-to-end timing on a 2-core machine running two test files at once: one retry,
// with the first failure printed, so a scheduling hiccup does not fail the build.
jest.retryTimes(1, { logErrorsBeforeRetry: true });

const readme = "# Hello\n\nWritten by the agent.\n";
const usage = { input: 1200, output: 80, cacheRead: 300 };
const withUsage = (steps: ScriptStep[]) => steps.map((step) => ({ ...step, usage }));

const scripts: Record<string, ScriptStep[]> = {
  "write-readme": withUsage(
    writeFileScript({ path: "README.md", content: readme, summary: "I added a README." }),
  ),
  "plan-then-write": [
    {
      toolCalls: [
        {
          name: "todowrite",
          arguments: {
            todos: [
              { content: "Write the changelog", status: "in_progress", priority: "high" },
              { content: "Mention the release", status: "pending", priority: "low" },
            ],
          },
        },
      ],
    },
    ...writeFileScript({ path: "CHANGELOG.md", content: "# Changes\n", summary: "Changelog." }),
  ],
  "bad-request": [{ error: { status: 400, message: "Unsupported parameter: max_tokens" } }],
  "bad-key": [{ error: { status: 401, message: "Incorrect API key provided" } }],
  "provider-down": [{ error: { status: 500, retryAfterMs: 10 } }],
  stall: [{ stall: true }],
  "print-env": runCommandScript({ command: "env > ../agent-env.txt", summary: "Printed." }),
  "cut-stream": writeFileScript({ path: "cut.txt", content: "cut\n", summary: "Survived." }),
  "say-done": [{ reply: "Done." }],
};

/** Set in this process before anything starts: must never show up inside the sandbox. */
const hostCanary = `host-canary-${randomBytes(8).toString("hex")}`;
process.env.SHIP_TEST_HOST_CANARY = hostCanary;

/** Cuts the next event stream once it has carried text that `when` accepts. */
let cutEventStream: ((seen: string) => boolean) | undefined;
let streamsCut = 0;
const cuttingFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const url = input instanceof Request ? input.url : String(input);
  const when = cutEventStream;
  if (!when || new URL(url).pathname !== "/event" || !response.body) return response;
  cutEventStream = undefined;
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let seen = "";
  let cut = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (cut) return;
      const { done, value } = await reader.read();
      if (done) return controller.close();
      controller.enqueue(value);
      seen += decoder.decode(value, { stream: true });
      if (!cut && when(seen)) {
        cut = true;
        streamsCut += 1;
        await reader.cancel();
        // What a proxy dropping the connection looks like to fetch.
        controller.error(new TypeError("terminated"));
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return new Response(body, { status: response.status, headers: response.headers });
};

let world: AgentWorld;

beforeAll(async () => {
  world = await startAgentWorld({ scripts, fetch: cuttingFetch });
}, 45_000);

afterAll(async () => {
  await world?.stop();
  delete process.env.SHIP_TEST_HOST_CANARY;
});

function turnsOf(script: string) {
  return world.model.requests.filter((r) => r.kind === "turn" && r.script === script);
}

describe("runAgentSession", () => {
  it("writes a file, reports one finished response with the agent's summary, and the scripted usage", async () => {
    const responses: string[] = [];
    const changedAtResponse: string[] = [];
    const activities: AgentActivity[] = [];
    const events: Event[] = [];
    const started = Date.now();
    const result = await runAgentSession({
      client: world.opencode.client,
      model: "sim/write-readme",
      prompt: "Add a README",
      title: "Add a README",
      onActivity: (activity) => activities.push(activity),
      onEvent: (event) => events.push(event),
      onResponse: async ({ text }) => {
        responses.push(text);
        // What the pipeline does here: the agent's files are on disk already.
        const status = await world.sandbox.commands.run("git status --porcelain", {
          cwd: world.repo,
        });
        changedAtResponse.push(status.stdout.trim());
      },
    });
    const elapsed = Date.now() - started;

    expect(result).toEqual({
      ok: true,
      responses: [{ text: "I added a README." }],
      usage: {
        input: 2 * usage.input,
        output: 2 * usage.output,
        cacheRead: 2 * usage.cacheRead,
        cost: expect.any(Number),
      },
    });
    const perTurn =
      (usage.input * simCost.input +
        usage.output * simCost.output +
        usage.cacheRead * simCost.cache_read) /
      1_000_000;
    expect(result.usage.cost).toBeCloseTo(2 * perTurn, 10);
    expect(responses).toEqual(["I added a README."]);
    expect(changedAtResponse).toEqual(["?? README.md"]);
    expect(await world.sandbox.files.read(`${world.repo}/README.md`)).toBe(readme);

    // (e) The status comment would have shown the write in plain words.
    expect(activities.map((activity) => activity.text)).toContain("Writing `README.md`");
    // The raw events are the session's own, ending with it going idle.
    expect(events.length).toBeGreaterThan(5);
    expect(events.at(-1)?.type).toMatch(/^session\.(idle|status)$/);
    // Titled by Ship: OpenCode did not spend a model request on a title.
    expect(world.model.requests.filter((r) => r.kind === "title")).toEqual([]);
    expect(elapsed).toBeLessThan(15_000);
  });

  it("reports the agent's todo list and latest step while it works", async () => {
    const activities: AgentActivity[] = [];
    const result = await runAgentSession({
      client: world.opencode.client,
      model: "sim/plan-then-write",
      prompt: "Write a changelog",
      onActivity: (activity) => activities.push(activity),
    });

    expect(result.ok).toBe(true);
    expect(activities).toContainEqual({
      text: "Updating the todo list",
      todos: [
        { content: "Write the changelog", status: "in_progress", priority: "high" },
        { content: "Mention the release", status: "pending", priority: "low" },
      ],
    });
    expect(activities.at(-1)?.text).toBe("Writing `CHANGELOG.md`");
    expect(activities.at(-1)?.todos).toHaveLength(2);
  });

  it("fails at once, not retryable, when the provider refuses the request (400)", async () => {
    const started = Date.now();
    const responses: string[] = [];
    const result = await runAgentSession({
      client: world.opencode.client,
      model: "sim/bad-request",
      prompt: "Hi",
      onResponse: ({ text }) => void responses.push(text),
    });

    expect(result).toEqual({
      ok: false,
      error: {
        category: "provider_rejected",
        message: "Unsupported parameter: max_tokens",
        retryable: false,
        statusCode: 400,
      },
      usage: { input: 0, output: 0, cacheRead: 0, cost: 0 },
    });
    expect(responses).toEqual([]);
    expect(turnsOf("bad-request")).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("works in the directory it is given", async () => {
    const { data: paths } = await world.opencode.client.path.get(undefined, { throwOnError: true });
    const result = await runAgentSession({
      client: world.opencode.client,
      directory: paths.directory,
      model: "sim/say-done",
      prompt: "Hi",
    });
    expect(result).toMatchObject({ ok: true, responses: [{ text: "Done." }] });
  });

  it("says authentication failed when the provider answers 401", async () => {
    const result = await runAgentSession({
      client: world.opencode.client,
      model: "sim/bad-key",
      prompt: "Hi",
    });
    expect(result).toMatchObject({
      ok: false,
      error: { category: "provider_auth", retryable: false, statusCode: 401 },
    });
  });

  it("refuses a model the config does not list before asking the provider", async () => {
    const before = world.model.requests.length;
    const result = await runAgentSession({
      client: world.opencode.client,
      model: "sim/not-listed",
      prompt: "Hi",
    });
    expect(result).toMatchObject({
      ok: false,
      error: {
        category: "provider_rejected",
        message: "Model not found: sim/not-listed.",
        retryable: false,
      },
    });
    expect(world.model.requests.length).toBe(before);
  });

  it("fails as retryable when the provider is still down after OpenCode's own retries (500)", async () => {
    const result = await runAgentSession({
      client: world.opencode.client,
      model: "sim/provider-down",
      prompt: "Hi",
    });

    expect(result).toMatchObject({
      ok: false,
      error: { category: "provider_unavailable", retryable: true, statusCode: 500 },
    });
    // OpenCode's first attempt and its five retries.
    expect(turnsOf("provider-down")).toHaveLength(6);
  });

  it("stops a stalled agent when the signal aborts, aborting its session", async () => {
    const controller = new AbortController();
    const running = runAgentSession({
      client: world.opencode.client,
      model: "sim/stall",
      prompt: "Hi",
      signal: controller.signal,
    });
    const stalled = await world.model.waitForRequest((r) => r.script === "stall");
    const abortedAt = Date.now();
    controller.abort(new Error("the run timed out"));
    const result = await running;

    expect(Date.now() - abortedAt).toBeLessThan(2_000);
    expect(result).toMatchObject({
      ok: false,
      error: { category: "aborted", message: "The run was stopped: the run timed out" },
    });
    // OpenCode gave up the model request: the session really was aborted.
    expect(stalled.status).toBeUndefined();
    await expect(waitFor(() => stalled.abortedByClient)).resolves.toBe(true);
    const { data: statuses } = await world.opencode.client.session.status(undefined, {
      throwOnError: true,
    });
    expect(Object.values(statuses).filter((status) => status.type !== "idle")).toEqual([]);
  });

  it("resolves at once with aborted when the signal is already aborted", async () => {
    const result = await runAgentSession({
      client: world.opencode.client,
      model: "sim/say-done",
      prompt: "Hi",
      signal: AbortSignal.abort(),
    });
    expect(result).toMatchObject({ ok: false, error: { category: "aborted" } });
  });

  it("runs the agent with only the environment Ship gave it: nothing of the host's", async () => {
    const result = await runAgentSession({
      client: world.opencode.client,
      model: "sim/print-env",
      prompt: "Print the environment",
    });
    expect(result.ok).toBe(true);

    const env = await world.sandbox.files.read("agent-env.txt");
    expect(env).not.toContain(hostCanary);
    expect(env).not.toContain("other-provider-secret");
    const names = env
      .split("\n")
      .filter((line) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(line))
      .map((line) => line.slice(0, line.indexOf("=")));
    const allowed = new Set([
      // What the sandbox sets for every command (envd) and what bash adds.
      ...["PATH", "HOME", "USER", "LOGNAME", "LANG", "PWD", "OLDPWD", "SHLVL", "_"],
      ...["E2B_SANDBOX", "E2B_SANDBOX_ID", "E2B_TEMPLATE_ID"],
      // What Ship passes to OpenCode.
      ...["OPENCODE_CONFIG_CONTENT", "OPENCODE_SERVER_PASSWORD", "OPENCODE_DISABLE_MODELS_FETCH"],
      ...["OPENCODE_DISABLE_AUTOUPDATE", "OPENCODE_DISABLE_LSP_DOWNLOAD", "OPENCODE_DISABLE_SHARE"],
      ...["XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"],
      // What OpenCode sets for itself and its tools.
      ...["AGENT", "OPENCODE", "OPENCODE_PID"],
      // Set by the npm inside OpenCode when it tries its plugin install (as root only).
      "npm_config_user_agent",
    ]);
    expect(names.filter((name) => !allowed.has(name))).toEqual([]);
    expect(names).toEqual(expect.arrayContaining(["OPENCODE_CONFIG_CONTENT", "HOME"]));
  });

  it("survives losing the event stream mid-run: reconnects and catches up", async () => {
    // Cut the stream as the write starts: its result, the summary and the idle go unseen.
    cutEventStream = (seen) => seen.includes('"tool":"write","callID"');
    const responses: string[] = [];
    const result = await runAgentSession({
      client: world.opencode.client,
      model: "sim/cut-stream",
      prompt: "Write cut.txt",
      onResponse: ({ text }) => void responses.push(text),
    });

    expect(streamsCut).toBe(1);
    expect(result).toMatchObject({ ok: true, responses: [{ text: "Survived." }] });
    expect(responses).toEqual(["Survived."]);
    expect(await world.sandbox.files.read(`${world.repo}/cut.txt`)).toBe("cut\n");
  });

  it("fails the call with the error an onResponse throws", async () => {
    await expect(
      runAgentSession({
        client: world.opencode.client,
        model: "sim/say-done",
        prompt: "Hi",
        onResponse: () => {
          throw new Error("could not commit");
        },
      }),
    ).rejects.toThrow("could not commit");
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}
