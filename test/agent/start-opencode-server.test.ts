import { Sandbox } from "e2b";
import { buildOpencodeConfig } from "../../src/agent/build-opencode-config.js";
import { OpencodeNotFoundError } from "../../src/agent/opencode-not-found-error.js";
import { startOpencodeServer } from "../../src/agent/start-opencode-server.js";
import { sandboxPortUrl } from "../../src/sandbox/sandbox-port-url.js";
import {
  type SandboxServer,
  startSandboxServer,
} from "../../src/sim/sandbox/start-sandbox-server.js";
import { testLogger } from "../helpers/test-logger.js";

const config = buildOpencodeConfig({
  model: "sim/none",
  providers: {
    sim: { npm: "@ai-sdk/openai-compatible", options: { baseURL: "http://127.0.0.1:9/v1" } },
  },
});

let e2b: SandboxServer;
let bare: SandboxServer;

beforeAll(async () => {
  [e2b, bare] = await Promise.all([
    startSandboxServer({ log: testLogger() }),
    // A template without OpenCode.
    startSandboxServer({ log: testLogger(), opencodeBinary: null }),
  ]);
});

afterAll(async () => {
  await Promise.all([e2b?.stop(), bare?.stop()]);
});

function newSandbox(server: SandboxServer): Promise<Sandbox> {
  return Sandbox.create("ship-opencode", {
    apiKey: server.apiKey,
    apiUrl: server.apiUrl,
    sandboxUrl: server.sandboxUrl,
  });
}

async function opencodeProcesses(sandbox: Sandbox): Promise<number> {
  const commands = await sandbox.commands.list();
  return commands.filter((command) => command.args.join(" ").includes("opencode serve")).length;
}

describe("startOpencodeServer", () => {
  it("serves only requests that carry its password, through the sandbox's port routing, until stopped", async () => {
    const sandbox = await newSandbox(e2b);
    const server = await startOpencodeServer({
      sandbox,
      cwd: "/home/user",
      config,
      sandboxSettings: { sandboxUrl: e2b.sandboxUrl },
    });
    try {
      const { data } = await server.client.path.get(undefined, { throwOnError: true });
      expect(data.directory).toMatch(/\/home\/user$/);
      // Its home is its own, outside the repository.
      expect(data.home).toMatch(/\/tmp\/ship-opencode-[a-z0-9]+\/home$/);

      const { baseUrl, headers } = sandboxPortUrl(sandbox, server.port, {
        sandboxUrl: e2b.sandboxUrl,
      });
      const anonymous = await fetch(`${baseUrl}/path`, { headers });
      expect(anonymous.status).toBe(401);
      expect(await opencodeProcesses(sandbox)).toBe(1);
    } finally {
      await server.stop();
    }
    expect(await opencodeProcesses(sandbox)).toBe(0);
    await server.stop();
    await sandbox.kill();
  });

  it("says so when the sandbox has no opencode", async () => {
    const sandbox = await newSandbox(bare);
    const started = startOpencodeServer({
      sandbox,
      cwd: "/home/user",
      config,
      sandboxSettings: { sandboxUrl: bare.sandboxUrl },
    });
    await expect(started).rejects.toBeInstanceOf(OpencodeNotFoundError);
    await expect(started).rejects.toThrow(
      /OpenCode is not installed in sandbox .*no opencode on PATH/,
    );
    await sandbox.kill();
  });

  it("gives up after the start timeout with what OpenCode printed, and leaves nothing running", async () => {
    const sandbox = await newSandbox(e2b);
    const started = startOpencodeServer({
      sandbox,
      cwd: "/home/user",
      config,
      sandboxSettings: { sandboxUrl: e2b.sandboxUrl },
      timeoutMs: 300,
    });
    await expect(started).rejects.toMatchObject({
      category: "agent_start",
      retryable: true,
      message: expect.stringMatching(
        /^OpenCode did not start listening within 300 ms in the sandbox/,
      ),
    });
    expect(await opencodeProcesses(sandbox)).toBe(0);
    await sandbox.kill();
  });
});
