import { randomInt } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import {
  AuthenticationError,
  CommandExitError,
  Sandbox,
  SandboxNotFoundError,
  TimeoutError,
  // The ESM build: jest resolves bare "e2b" to the CommonJS one, which require()s ESM-only chalk.
} from "e2b/dist/index.mjs";
import { sandboxPortUrl } from "../../../src/sandbox/sandbox-port-url.js";
import {
  type SandboxServer,
  startSandboxServer,
} from "../../../src/sim/sandbox/start-sandbox-server.js";
import { testLogger } from "../../helpers/test-logger.js";
import { hostProcessesWith } from "./host-processes.js";
import { waitUntil } from "./wait-until.js";

/**
 * The E2B stand-in, driven by the real `e2b` SDK on its normal path: pointed at the
 * stand-in by E2B_API_URL, E2B_SANDBOX_URL and E2B_API_KEY, as Ship's config points it.
 */
let server: SandboxServer;
const sandboxEnvNames = ["E2B_API_URL", "E2B_SANDBOX_URL", "E2B_API_KEY"] as const;
const created: Sandbox[] = [];

beforeAll(async () => {
  server = await startSandboxServer({ log: testLogger() });
  Object.assign(process.env, server.env);
});

afterAll(async () => {
  await server?.stop();
  for (const name of sandboxEnvNames) delete process.env[name];
});

afterEach(async () => {
  await Promise.all(created.splice(0).map((sandbox) => sandbox.kill().catch(() => false)));
});

async function newSandbox(options: Parameters<typeof Sandbox.create>[1] = {}): Promise<Sandbox> {
  const sandbox = await Sandbox.create("ship-opencode", options);
  created.push(sandbox);
  return sandbox;
}

/** A `sleep` with a duration no other process here has, to find it on the host. */
function uniqueSleep(): string {
  return `sleep ${randomInt(100_000, 999_999)}`;
}

describe("the E2B stand-in, through the real SDK", () => {
  it("creates a sandbox from a template with metadata, env vars and a timeout", async () => {
    const sandbox = await newSandbox({
      metadata: { shipRun: "run-1" },
      envs: { GREETING: "hello from create" },
      timeoutMs: 120_000,
    });

    const info = await sandbox.getInfo();
    expect(info.templateId).toBe("ship-opencode");
    expect(info.metadata).toEqual({ shipRun: "run-1" });
    expect(info.state).toBe("running");
    expect(info.endAt.getTime() - info.startedAt.getTime()).toBeGreaterThanOrEqual(119_000);

    const result = await sandbox.commands.run(
      'echo "$GREETING"; echo "$HOME"; pwd; echo $E2B_SANDBOX_ID',
    );
    const [greeting, home, cwd, id] = result.stdout.trim().split("\n");
    expect(greeting).toBe("hello from create");
    expect(id).toBe(sandbox.sandboxId);
    if (server.isolation === "bwrap") {
      expect(home).toBe("/home/user");
      expect(cwd).toBe("/home/user");
      expect((await sandbox.commands.run("whoami")).stdout.trim()).toBe("user");
    }
  });

  it("has the template's tools on PATH: the real opencode binary, git and node", async () => {
    const sandbox = await newSandbox();
    const result = await sandbox.commands.run(
      "opencode --version && git --version && node --version",
    );
    const [opencode, git, node] = result.stdout.trim().split("\n");
    expect(opencode).toMatch(/^\d+\.\d+\.\d+$/);
    expect(git).toMatch(/^git version /);
    expect(node).toBe(process.version);
  });

  it("streams stdout and stderr while a command runs, honours cwd and envs, reports exit codes", async () => {
    const sandbox = await newSandbox({ envs: { LEVEL: "sandbox" } });
    const chunks: Array<{ stream: "out" | "err"; text: string; at: number }> = [];
    const result = await sandbox.commands.run(
      "echo first; echo oops >&2; sleep 0.4; echo second; echo $LEVEL",
      {
        envs: { LEVEL: "command" },
        onStdout: (text) => void chunks.push({ stream: "out", text, at: Date.now() }),
        onStderr: (text) => void chunks.push({ stream: "err", text, at: Date.now() }),
      },
    );
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe("first\nsecond\ncommand\n");
    expect(result.stderr).toBe("oops\n");
    const first = chunks.find((chunk) => chunk.text.includes("first"));
    const second = chunks.find((chunk) => chunk.text.includes("second"));
    expect(chunks.some((chunk) => chunk.stream === "err" && chunk.text === "oops\n")).toBe(true);
    // Streamed, not delivered at the end: "first" arrived while the command slept.
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(300);

    await sandbox.files.makeDir("/home/user/work/deep");
    const inDir = await sandbox.commands.run("pwd", { cwd: "/home/user/work/deep" });
    expect(inDir.stdout.trim()).toMatch(/\/home\/user\/work\/deep$/);

    const failure = await sandbox.commands
      .run("echo partial; echo broken >&2; exit 3")
      .catch((e) => e);
    expect(failure).toBeInstanceOf(CommandExitError);
    expect((failure as CommandExitError).exitCode).toBe(3);
    expect((failure as CommandExitError).stdout).toBe("partial\n");
    expect((failure as CommandExitError).stderr).toBe("broken\n");
    expect((failure as CommandExitError).message).toBe("exit status 3");
  });

  it("runs a command in the background, lists it, and kills it", async () => {
    const sandbox = await newSandbox();
    const sleep = uniqueSleep();
    const handle = await sandbox.commands.run(sleep, { background: true });
    expect(await hostProcessesWith(sleep)).not.toEqual([]);
    expect((await sandbox.commands.list()).map((command) => command.pid)).toContain(handle.pid);

    expect(await handle.kill()).toBe(true);
    const ended = await handle.wait().catch((e) => e);
    expect(ended).toBeInstanceOf(CommandExitError);
    expect((ended as CommandExitError).message).toBe("signal: killed");
    await waitUntil(
      "the killed command is gone",
      async () => (await hostProcessesWith(sleep)).length === 0,
    );
    expect((await sandbox.commands.list()).map((command) => command.pid)).not.toContain(handle.pid);
    expect(await sandbox.commands.kill(handle.pid)).toBe(false);
  });

  it("feeds a command's stdin and reconnects to a running command", async () => {
    const sandbox = await newSandbox();
    const handle = await sandbox.commands.run("read line; echo got:$line; cat", {
      background: true,
      stdin: true,
    });
    await sandbox.commands.sendStdin(handle.pid, "first\n");
    const seen: string[] = [];
    const again = await sandbox.commands.connect(handle.pid, {
      onStdout: (text) => void seen.push(text),
    });
    await handle.sendStdin("second\n");
    await handle.closeStdin();
    const result = await again.wait();
    expect(result.stdout).toContain("second\n");
    expect(seen.join("")).toContain("second\n");
    expect((await handle.wait()).stdout).toBe("got:first\nsecond\n");
  });

  it("kills a command whose deadline (timeoutMs) passes, as envd does", async () => {
    const sandbox = await newSandbox();
    const sleep = uniqueSleep();
    const outcome = await sandbox.commands.run(sleep, { timeoutMs: 300 }).catch((e) => e);
    expect(outcome).toBeInstanceOf(TimeoutError);
    await waitUntil(
      "the timed-out command is gone",
      async () => (await hostProcessesWith(sleep)).length === 0,
    );
    expect((await sandbox.commands.run("echo still usable")).stdout).toBe("still usable\n");
  });

  it("writes, reads, lists, creates, checks and removes files that commands see too", async () => {
    const sandbox = await newSandbox();
    const written = await sandbox.files.write("/home/user/notes/todo.txt", "ship it\n");
    expect(written).toMatchObject({ name: "todo.txt", path: "/home/user/notes/todo.txt" });
    expect(await sandbox.files.read("/home/user/notes/todo.txt")).toBe("ship it\n");
    expect(await sandbox.files.read("notes/todo.txt")).toBe("ship it\n");
    expect((await sandbox.commands.run("cat notes/todo.txt")).stdout).toBe("ship it\n");

    await sandbox.commands.run("printf 'from bash' > notes/made-by-bash.txt");
    expect(await sandbox.files.read("/home/user/notes/made-by-bash.txt")).toBe("from bash");

    expect(await sandbox.files.makeDir("/home/user/notes/sub")).toBe(true);
    expect(await sandbox.files.makeDir("/home/user/notes/sub")).toBe(false);
    const entries = await sandbox.files.list("/home/user/notes");
    expect(entries.map((entry) => [entry.name, entry.type])).toEqual([
      ["made-by-bash.txt", "file"],
      ["sub", "dir"],
      ["todo.txt", "file"],
    ]);
    const todo = entries.find((entry) => entry.name === "todo.txt");
    expect(todo).toMatchObject({ size: 8, path: "/home/user/notes/todo.txt", owner: "user" });
    expect(todo?.modifiedTime).toBeInstanceOf(Date);

    expect(await sandbox.files.exists("/home/user/notes/todo.txt")).toBe(true);
    expect(await sandbox.files.exists("/home/user/notes/missing.txt")).toBe(false);
    await sandbox.files.rename("/home/user/notes/todo.txt", "/home/user/done.txt");
    expect(await sandbox.files.read("/home/user/done.txt")).toBe("ship it\n");
    await sandbox.files.remove("/home/user/notes");
    expect(await sandbox.files.exists("/home/user/notes")).toBe(false);
    await expect(sandbox.files.read("/home/user/notes/todo.txt")).rejects.toThrow(/does not exist/);
  });

  it("reaches a server inside the sandbox through sandboxPortUrl, server-sent events included", async () => {
    const sandbox = await newSandbox();
    const port = await startServerIn(sandbox);

    const { baseUrl, headers } = sandboxPortUrl(sandbox, port, { sandboxUrl: server.sandboxUrl });
    const hello = await fetch(`${baseUrl}/hello?x=1`, { headers });
    expect(hello.status).toBe(200);
    expect(await hello.json()).toEqual({ path: "/hello?x=1", sandbox: sandbox.sandboxId });

    const posted = await fetch(`${baseUrl}/echo`, { method: "POST", headers, body: "payload" });
    expect(await posted.json()).toMatchObject({ path: "/echo", body: "payload" });

    const events = await fetch(`${baseUrl}/events`, { headers });
    expect(events.headers.get("content-type")).toBe("text/event-stream");
    const arrivals: Array<{ at: number; text: string }> = [];
    const decoder = new TextDecoder();
    for await (const chunk of events.body as unknown as AsyncIterable<Uint8Array>) {
      arrivals.push({ at: Date.now(), text: decoder.decode(chunk) });
    }
    const text = arrivals.map((arrival) => arrival.text).join("");
    expect(text).toBe("data: 1\n\ndata: 2\n\ndata: 3\n\n");
    // Live: the first event came well before the stream ended, not buffered to the end.
    expect((arrivals.at(-1)?.at ?? 0) - (arrivals[0]?.at ?? 0)).toBeGreaterThanOrEqual(200);

    const closed = await fetch(`${baseUrl}/`, { headers: { ...headers, "E2b-Sandbox-Port": "1" } });
    expect(closed.status).toBe(502);
    const elsewhere = await fetch(`${baseUrl}/hello`, {
      headers: { ...headers, "E2b-Sandbox-Id": "nosuchsandbox0000000" },
    });
    expect(elsewhere.status).toBe(502);
  });

  it("requires the traffic token for a sandbox created without public traffic", async () => {
    const sandbox = await newSandbox({ network: { allowPublicTraffic: false } });
    expect(sandbox.trafficAccessToken).toEqual(expect.any(String));
    const port = await startServerIn(sandbox);
    const { baseUrl, headers } = sandboxPortUrl(sandbox, port, { sandboxUrl: server.sandboxUrl });
    expect(headers["e2b-traffic-access-token"]).toBe(sandbox.trafficAccessToken);
    expect((await fetch(`${baseUrl}/hello`, { headers })).status).toBe(200);
    const { "e2b-traffic-access-token": _, ...withoutToken } = headers;
    expect((await fetch(`${baseUrl}/hello`, { headers: withoutToken })).status).toBe(403);
  });

  it("lists sandboxes filtered by metadata and connects to one by id", async () => {
    const tag = `list-${randomInt(1_000_000)}`;
    const mine = await newSandbox({ metadata: { shipTest: tag, role: "worker" } });
    await newSandbox({ metadata: { shipTest: tag, role: "other" } });
    await newSandbox({ metadata: { shipTest: "someone-else" } });

    const both = await Sandbox.list({ query: { metadata: { shipTest: tag } } }).nextItems();
    expect(both).toHaveLength(2);
    const found = await Sandbox.list({
      query: { metadata: { shipTest: tag, role: "worker" } },
    }).nextItems();
    expect(found.map((sandbox) => sandbox.sandboxId)).toEqual([mine.sandboxId]);
    expect(found[0]).toMatchObject({ templateId: "ship-opencode", state: "running" });

    await mine.files.write("/home/user/marker.txt", "still here");
    const connected = await Sandbox.connect(mine.sandboxId);
    expect(await connected.files.read("/home/user/marker.txt")).toBe("still here");
    expect((await connected.commands.run("cat marker.txt")).stdout).toBe("still here");
    await expect(Sandbox.connect("nosuchsandbox0000000")).rejects.toBeInstanceOf(
      SandboxNotFoundError,
    );
  });

  it("kill() stops every process of the sandbox, daemons included, and removes it", async () => {
    const sandbox = await newSandbox();
    const dir = server.sandboxDir(sandbox.sandboxId) ?? "";
    expect(existsSync(dir)).toBe(true);
    const background = uniqueSleep();
    const daemon = uniqueSleep();
    await sandbox.commands.run(background, { background: true });
    // Leaves the command's process group and session, and outlives its command.
    await sandbox.commands.run(`setsid ${daemon} > /dev/null 2>&1 < /dev/null &`);
    expect(await hostProcessesWith(background)).not.toEqual([]);
    expect(await hostProcessesWith(daemon)).not.toEqual([]);

    expect(await sandbox.kill()).toBe(true);
    expect(await hostProcessesWith(background)).toEqual([]);
    expect(await hostProcessesWith(daemon)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
    expect(await sandbox.isRunning()).toBe(false);
    await expect(sandbox.getInfo()).rejects.toBeInstanceOf(SandboxNotFoundError);
    // E2B's proxy answers 502 for a sandbox that is gone; the SDK reads that as this.
    await expect(sandbox.commands.run("true")).rejects.toBeInstanceOf(SandboxNotFoundError);
    expect(await Sandbox.kill(sandbox.sandboxId)).toBe(false);
  });

  it("expires at its timeout, killing every process, unless the timeout is extended", async () => {
    const expiring = await newSandbox({ timeoutMs: 1_000 });
    const extended = await newSandbox({ timeoutMs: 1_000 });
    await extended.setTimeout(60_000);
    const sleep = uniqueSleep();
    const running = await expiring.commands.run(sleep, { background: true });
    expect(await hostProcessesWith(sleep)).not.toEqual([]);

    // In flight when the sandbox dies: the SDK sees the connection cut and the sandbox gone.
    const outcome = await running.wait().catch((e) => e);
    expect(outcome).toBeInstanceOf(TimeoutError);
    expect(await hostProcessesWith(sleep)).toEqual([]);
    await expect(expiring.getInfo()).rejects.toBeInstanceOf(SandboxNotFoundError);
    const listed = await Sandbox.list().nextItems();
    expect(listed.map((sandbox) => sandbox.sandboxId)).not.toContain(expiring.sandboxId);
    expect(listed.map((sandbox) => sandbox.sandboxId)).toContain(extended.sandboxId);
    expect((await extended.commands.run("echo alive")).stdout).toBe("alive\n");
  });

  it("refuses a wrong API key and a wrong envd access token", async () => {
    const options = { apiKey: "e2b_not_the_right_key" };
    await expect(Sandbox.create("ship-opencode", options)).rejects.toBeInstanceOf(
      AuthenticationError,
    );
    await expect(Sandbox.list(options).nextItems()).rejects.toBeInstanceOf(AuthenticationError);

    const sandbox = await newSandbox();
    await expect(Sandbox.connect(sandbox.sandboxId, options)).rejects.toBeInstanceOf(
      AuthenticationError,
    );
    const envdHeaders = { "E2b-Sandbox-Id": sandbox.sandboxId, "E2b-Sandbox-Port": "49983" };
    const noToken = await fetch(`${server.sandboxUrl}/files?path=/home/user/.profile`, {
      headers: envdHeaders,
    });
    expect(noToken.status).toBe(401);
    const wrongToken = await fetch(`${server.sandboxUrl}/process.Process/List`, {
      method: "POST",
      headers: { ...envdHeaders, "X-Access-Token": "wrong", "content-type": "application/json" },
      body: "{}",
    });
    expect(wrongToken.status).toBe(401);
    expect(await wrongToken.json()).toMatchObject({ code: "unauthenticated" });
  });
});

/**
 * Starts the tiny server below inside `sandbox` as a background command (no deadline,
 * as Ship must start OpenCode: the SDK's default 60 s would kill it) and resolves
 * with its port once it listens.
 */
async function startServerIn(sandbox: Sandbox): Promise<number> {
  const port = await freePort();
  await sandbox.files.write("/home/user/server.cjs", inSandboxServer);
  await new Promise<void>((resolve) => {
    void sandbox.commands.run(`node server.cjs ${port}`, {
      background: true,
      timeoutMs: 0,
      onStdout: (text) => {
        if (text.includes("listening")) resolve();
      },
    });
  });
  return port;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(),
      );
    });
  });
}

/** A tiny server run inside sandboxes: JSON, an echo, and a slow event stream. */
const inSandboxServer = `
const http = require("node:http");
http
  .createServer((req, res) => {
    if (req.url === "/events") {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      let n = 0;
      const timer = setInterval(() => {
        n += 1;
        res.write("data: " + n + "\\n\\n");
        if (n === 3) {
          clearInterval(timer);
          res.end();
        }
      }, 150);
      return;
    }
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json" });
      const reply = { path: req.url, sandbox: process.env.E2B_SANDBOX_ID };
      if (body) reply.body = body;
      res.end(JSON.stringify(reply));
    });
  })
  .listen(Number(process.argv[2]), "0.0.0.0", () => console.log("listening"));
`;
