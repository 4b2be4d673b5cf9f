// The model sim against the real OpenCode (opencode-ai 1.18.33 binary, driven by
// @opencode-ai/sdk v2), fully offline. These tests pin down how OpenCode talks to a
// provider and how provider failures surface; an OpenCode upgrade that changes any
// of it fails here first.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  type AssistantMessage,
  createOpencodeClient,
  type Event,
  type OpencodeClient,
  type Part,
} from "@opencode-ai/sdk/v2";
import { type ChatRequest, chatRequestSchema } from "../../../src/sim/model/chat-request-schema.js";
import { editFileScript } from "../../../src/sim/model/edit-file-script.js";
import type { RecordedRequest } from "../../../src/sim/model/recorded-request.js";
import { runCommandScript } from "../../../src/sim/model/run-command-script.js";
import type { ScriptStep } from "../../../src/sim/model/script-step.js";
import { simProviderConfig } from "../../../src/sim/model/sim-provider-config.js";
import { type ModelServer, startModelServer } from "../../../src/sim/model/start-model-server.js";
import { writeFileScript } from "../../../src/sim/model/write-file-script.js";
import { testLogger } from "../../helpers/test-logger.js";
import { collectEvents, type EventLog } from "./collect-events.js";
import { type RunningOpencode, startOpencode } from "./start-opencode.js";

const readme = "# Hello\n\nWritten by the model sim.\n";
const usage = { input: 1200, output: 80, cacheRead: 300 };
const [writeCall, writeSummary] = writeFileScript({
  path: "README.md",
  content: readme,
  summary: "I added a README.",
}) as [ScriptStep, ScriptStep];

/** Every script a test plays; OpenCode only accepts models its config lists. */
const scripts: Record<string, ScriptStep[]> = {
  "write-readme": [
    { ...writeCall, usage },
    { ...writeSummary, usage },
  ],
  "bad-request": [{ error: { status: 400, message: "Unsupported parameter: max_tokens" } }],
  "server-error-once": [{ error: { status: 500 }, times: 1 }, { reply: "Recovered." }],
  "server-error-always": [{ error: { status: 500, retryAfterMs: 10 } }],
  "rate-limited-once": [
    { error: { status: 429, retryAfterSeconds: 1 }, times: 1 },
    { reply: "After waiting." },
  ],
  stall: [{ stall: true }],
  "parallel-a": writeFileScript({ path: "a.txt", content: "from a\n", summary: "Wrote a." }),
  "parallel-b": writeFileScript({ path: "b.txt", content: "from b\n", summary: "Wrote b." }),
  "edit-existing": editFileScript({
    path: "notes.txt",
    oldString: "draft",
    newString: "final",
    summary: "Finalised the notes.",
  }),
  "run-command": runCommandScript({ command: "printf ran > ran.txt", summary: "Ran it." }),
  "follow-up": [{ reply: "First answer." }, { reply: "Second answer." }],
};

let model: ModelServer;
let opencode: RunningOpencode;
let root: string;
let directory: string;
let client: OpencodeClient;
let events: EventLog;

beforeAll(async () => {
  model = await startModelServer({ log: testLogger() });
  for (const [name, steps] of Object.entries(scripts)) model.setScript(name, steps);
  root = await mkdtemp(path.join(tmpdir(), "ship-model-contract-"));
  directory = path.join(root, "work");
  await mkdir(directory);
  opencode = await startOpencode({
    root,
    config: {
      autoupdate: false,
      share: "disabled",
      lsp: false,
      formatter: false,
      enabled_providers: ["sim"],
      permission: { edit: "allow", bash: "allow" },
      provider: {
        sim: simProviderConfig({ baseUrl: model.baseUrl, models: Object.keys(scripts) }),
      },
    },
  });
  client = createOpencodeClient({ baseUrl: opencode.url, directory });
  events = await collectEvents(client);
}, 45_000);

afterAll(async () => {
  events?.close();
  await opencode?.stop();
  await model?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

function sessionOf(event: Event): string | undefined {
  return (event.properties as { sessionID?: unknown }).sessionID as string | undefined;
}

async function newSession(title?: string): Promise<string> {
  const { data } = await client.session.create(title ? { title } : {}, { throwOnError: true });
  return data.id;
}

/** Prompts with `modelID` and waits for the session to go idle; returns its events. */
async function prompt(sessionID: string, modelID: string, text: string): Promise<Event[]> {
  const since = events.events.length;
  await client.session.promptAsync(
    { sessionID, model: { providerID: "sim", modelID }, parts: [{ type: "text", text }] },
    { throwOnError: true },
  );
  await idle(sessionID, since);
  return events.events.slice(since).filter((event) => sessionOf(event) === sessionID);
}

function idle(sessionID: string, since: number): Promise<Event> {
  return events.waitFor(
    (event) => event.type === "session.idle" && sessionOf(event) === sessionID,
    { since, timeoutMs: 30_000 },
  );
}

async function assistantMessages(sessionID: string) {
  const { data } = await client.session.messages({ sessionID }, { throwOnError: true });
  return data.filter((message) => message.info.role === "assistant") as Array<{
    info: AssistantMessage;
    parts: Part[];
  }>;
}

function turnsOf(script: string) {
  return model.requests.filter((request) => request.kind === "turn" && request.script === script);
}

/** A recorded chat request's body, parsed as the sim parsed it. */
function bodyOf(request: RecordedRequest | undefined): ChatRequest {
  if (!request) throw new Error("The model sim did not receive that request");
  return chatRequestSchema.parse(request.body);
}

function sessionErrors(sessionEvents: Event[]) {
  return sessionEvents.flatMap((event) =>
    event.type === "session.error" ? [event.properties.error] : [],
  );
}

function texts(message: { parts: Part[] }): string[] {
  return message.parts.flatMap((part) => (part.type === "text" ? [part.text] : []));
}

describe("OpenCode against the model sim", () => {
  it("writes a file with the write tool, sends the tool result back and goes idle", async () => {
    const started = Date.now();
    const sessionID = await newSession();
    const sessionEvents = await prompt(sessionID, "write-readme", "Add a README");
    const elapsed = Date.now() - started;

    expect(sessionErrors(sessionEvents)).toEqual([]);
    const { data: session } = await client.session.get({ sessionID }, { throwOnError: true });
    expect(await readFile(path.join(session.directory, "README.md"), "utf8")).toBe(readme);

    // Turn 0 asked for the tool; turn 1 carries the call and its result back.
    const turns = turnsOf("write-readme");
    expect(turns.map((request) => [request.turn, request.status])).toEqual([
      [0, 200],
      [1, 200],
    ]);
    expect(turns.every((request) => request.sessionId === sessionID)).toBe(true);
    const first = bodyOf(turns[0]);
    expect(first.stream).toBe(true);
    expect(first.stream_options).toEqual({ include_usage: true });
    const toolNames = (first.tools as Array<{ function: { name: string } }>).map(
      (tool) => tool.function.name,
    );
    expect(toolNames).toEqual(expect.arrayContaining(["bash", "edit", "read", "write"]));
    const history = bodyOf(turns[1]).messages.slice(-2);
    expect(history).toEqual([
      {
        role: "assistant",
        content: "",
        tool_calls: [
          {
            id: "call_0_0",
            type: "function",
            function: {
              name: "write",
              arguments: JSON.stringify({ filePath: "README.md", content: readme }),
            },
          },
        ],
      },
      { role: "tool", tool_call_id: "call_0_0", content: "Wrote file successfully." },
    ]);

    // An untitled session asks for a title on the side; it never touched the script.
    const title = model.requests.find(
      (request) => request.kind === "title" && request.sessionId === sessionID,
    );
    expect(bodyOf(title).tools).toBeUndefined();
    await until(async () => {
      const { data } = await client.session.get({ sessionID }, { throwOnError: true });
      return data.title === "Scripted session";
    });

    // OpenCode reports the scripted usage: uncached input, output, cache reads.
    const replies = await assistantMessages(sessionID);
    expect(replies.map((reply) => reply.info.finish)).toEqual(["tool-calls", "stop"]);
    for (const reply of replies) {
      expect(reply.info.tokens).toMatchObject({ input: 1200, output: 80, cache: { read: 300 } });
    }
    expect(texts(replies[1] ?? { parts: [] })).toEqual(["I added a README."]);
    expect(elapsed).toBeLessThan(15_000);
  });

  it("reports a 400 as a session.error (APIError) without retrying", async () => {
    const sessionID = await newSession("400");
    const sessionEvents = await prompt(sessionID, "bad-request", "Hi");

    const expected = {
      name: "APIError",
      data: expect.objectContaining({
        message: "Unsupported parameter: max_tokens",
        statusCode: 400,
        isRetryable: false,
      }),
    };
    expect(sessionErrors(sessionEvents)).toEqual([expected]);
    const [reply] = await assistantMessages(sessionID);
    expect(reply?.info.error).toEqual(expected);
    expect(turnsOf("bad-request")).toHaveLength(1);
  });

  it("retries a 500 by itself, after about 2 s without a retry-after header", async () => {
    const sessionID = await newSession("500 once");
    const sessionEvents = await prompt(sessionID, "server-error-once", "Hi");

    expect(sessionErrors(sessionEvents)).toEqual([]);
    const turns = turnsOf("server-error-once");
    expect(turns.map((request) => [request.turn, request.status])).toEqual([
      [0, 500],
      [0, 200],
    ]);
    const gap = (turns[1]?.receivedAt ?? 0) - (turns[0]?.receivedAt ?? 0);
    expect(gap).toBeGreaterThanOrEqual(1_900);
    expect(gap).toBeLessThan(4_000);
    const retry = sessionEvents.find(
      (event) => event.type === "session.status" && event.properties.status.type === "retry",
    );
    expect(retry?.properties).toMatchObject({
      status: { type: "retry", attempt: 1, message: "Scripted error 500" },
    });
    const [reply] = await assistantMessages(sessionID);
    expect(reply && texts(reply)).toEqual(["Recovered."]);
  });

  it("gives up on a 500 after 5 retries, honouring retry-after-ms", async () => {
    const sessionID = await newSession("500 always");
    const sessionEvents = await prompt(sessionID, "server-error-always", "Hi");

    expect(turnsOf("server-error-always")).toHaveLength(6);
    expect(sessionErrors(sessionEvents)).toEqual([
      {
        name: "APIError",
        data: expect.objectContaining({ statusCode: 500, isRetryable: true }),
      },
    ]);
  });

  it("waits out a 429's retry-after before retrying", async () => {
    const sessionID = await newSession("429 once");
    const sessionEvents = await prompt(sessionID, "rate-limited-once", "Hi");

    expect(sessionErrors(sessionEvents)).toEqual([]);
    const [limited, retried] = turnsOf("rate-limited-once");
    expect([limited?.status, retried?.status]).toEqual([429, 200]);
    const gap = (retried?.receivedAt ?? 0) - (limited?.receivedAt ?? 0);
    expect(gap).toBeGreaterThanOrEqual(990);
    expect(gap).toBeLessThan(2_000);
  });

  it("aborts a stalled request with session.abort", async () => {
    const sessionID = await newSession("stall");
    const since = events.events.length;
    await client.session.promptAsync(
      {
        sessionID,
        model: { providerID: "sim", modelID: "stall" },
        parts: [{ type: "text", text: "Hi" }],
      },
      { throwOnError: true },
    );
    const stalled = await model.waitForRequest((request) => request.script === "stall");
    expect(stalled.status).toBeUndefined();

    const { data: aborted } = await client.session.abort({ sessionID }, { throwOnError: true });
    expect(aborted).toBe(true);
    await idle(sessionID, since);
    const sessionEvents = events.events.slice(since).filter((e) => sessionOf(e) === sessionID);
    expect(sessionErrors(sessionEvents)).toEqual([
      { name: "MessageAbortedError", data: { message: "Aborted" } },
    ]);
    await until(() => stalled.abortedByClient);
    expect(stalled.status).toBeUndefined();
  });

  it("plays each concurrent session its own script", async () => {
    const [a, b] = await Promise.all([newSession("a"), newSession("b")]);
    const [eventsA, eventsB] = await Promise.all([
      prompt(a, "parallel-a", "Write a"),
      prompt(b, "parallel-b", "Write b"),
    ]);

    expect([...sessionErrors(eventsA), ...sessionErrors(eventsB)]).toEqual([]);
    expect(await readFile(path.join(directory, "a.txt"), "utf8")).toBe("from a\n");
    expect(await readFile(path.join(directory, "b.txt"), "utf8")).toBe("from b\n");
    expect(turnsOf("parallel-a").map((request) => [request.sessionId, request.turn])).toEqual([
      [a, 0],
      [a, 1],
    ]);
    expect(turnsOf("parallel-b").map((request) => [request.sessionId, request.turn])).toEqual([
      [b, 0],
      [b, 1],
    ]);
  });

  it("edits an existing file (read, then edit)", async () => {
    await writeFile(path.join(directory, "notes.txt"), "a draft note\n");
    const sessionID = await newSession("edit");
    const sessionEvents = await prompt(sessionID, "edit-existing", "Finalise the notes");

    expect(sessionErrors(sessionEvents)).toEqual([]);
    expect(await readFile(path.join(directory, "notes.txt"), "utf8")).toBe("a final note\n");
    expect(turnsOf("edit-existing").map((request) => request.turn)).toEqual([0, 1, 2]);
  });

  it("runs a command with the bash tool", async () => {
    const sessionID = await newSession("bash");
    const sessionEvents = await prompt(sessionID, "run-command", "Run it");

    expect(sessionErrors(sessionEvents)).toEqual([]);
    expect(await readFile(path.join(directory, "ran.txt"), "utf8")).toBe("ran");
  });

  it("continues the script on a follow-up prompt, after a compaction on the side", async () => {
    const sessionID = await newSession("follow-up");
    await prompt(sessionID, "follow-up", "One");
    const since = events.events.length;
    const { data: compacted } = await client.session.summarize(
      { sessionID, providerID: "sim", modelID: "follow-up" },
      { throwOnError: true },
    );
    expect(compacted).toBe(true);
    // Compaction runs the session too; its idle must not be taken for the next prompt's.
    await idle(sessionID, since);
    await prompt(sessionID, "follow-up", "Two");

    expect(
      model.requests
        .filter((request) => request.sessionId === sessionID)
        .map((request) => [request.kind, request.turn]),
    ).toEqual([
      ["turn", 0],
      ["compaction", undefined],
      ["turn", 1],
    ]);
    const replies = await assistantMessages(sessionID);
    expect(replies.filter((reply) => !reply.info.summary).map(texts)).toEqual([
      ["First answer."],
      ["Second answer."],
    ]);
  });

  it("fails a model missing from the provider config before asking the provider", async () => {
    const sessionID = await newSession("unlisted");
    const before = model.requests.length;
    const sessionEvents = await prompt(sessionID, "not-listed", "Hi");

    expect(sessionErrors(sessionEvents)[0]).toEqual({
      name: "UnknownError",
      data: { message: "Model not found: sim/not-listed." },
    });
    expect(model.requests.length).toBe(before);
  });
});

async function until(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
