import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Sandbox } from "e2b";
import { openSandboxBlobs } from "../../src/git/open-sandbox-blobs.js";
import { runScript } from "../../src/sandbox/run-script.js";
import { type LocalWorld, startLocalWorld } from "../../src/sim/start-local-world.js";
import { testLogger } from "../helpers/test-logger.js";

/** The bounds on sandbox output and blobs, through the e2b SDK and the sandbox stand-in. */
let hostDir: string;
let world: LocalWorld;
let sandbox: Sandbox;

beforeAll(async () => {
  hostDir = await mkdtemp(path.join(tmpdir(), "ship-output-"));
  world = await startLocalWorld({
    dataDir: path.join(hostDir, "world"),
    webhookUrl: "http://127.0.0.1:9/api/github/webhooks",
    log: testLogger(),
  });
  sandbox = await Sandbox.create("ship-opencode", {
    apiKey: world.sandbox.apiKey,
    apiUrl: world.sandbox.apiUrl,
    sandboxUrl: world.sandbox.sandboxUrl,
  });
}, 60_000);

afterAll(async () => {
  await sandbox?.kill().catch(() => false);
  await world?.stop();
  await rm(hostDir, { recursive: true, force: true });
});

describe("in a sandbox", () => {
  it("returns a command's output, and fails as e2b does on a non-zero exit", async () => {
    expect(await runScript(sandbox, "echo hi")).toBe("hi\n");
    await expect(runScript(sandbox, "exit 3")).rejects.toThrow(/exit status 3/);
  });

  it("keeps the first 1 MiB of a long output and stops an endless one", async () => {
    expect(await runScript(sandbox, "seq 1 400000")).toMatch(
      /^1\n2\n[\s\S]*\n\[Ship kept the first 1 MiB of this output; \d+ more bytes were cut\]\n$/,
    );
    const started = Date.now();
    await expect(runScript(sandbox, "yes")).rejects.toThrow(/cut short.*Ship stopped it/);
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 30_000);

  it("reads an exported blob as a stream, checked against git's size and id", async () => {
    const dir = (await runScript(sandbox, 'd="$(mktemp -d)" && printf %s "$d"')).trim();
    await runScript(
      sandbox,
      "git init -q . && printf 'hello\\n' > a.txt && git add a.txt && git -c user.name=A -c user.email=a@b commit -q -m a",
      { cwd: dir },
    );
    const sha = (await runScript(sandbox, "git rev-parse HEAD:a.txt", { cwd: dir })).trim();
    const blobs = openSandboxBlobs({ sandbox, repoDir: dir });
    try {
      await blobs.export([sha]);
      expect(blobs.size(sha)).toBe(6);
      expect(Buffer.from(await blobs.read(sha)).toString()).toBe("hello\n");
    } finally {
      await blobs.close();
    }
  });
});
