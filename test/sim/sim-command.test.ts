import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Sandbox } from "e2b";
import { isAlive } from "../helpers/is-alive.js";

const root = path.resolve(import.meta.dirname, "../..");

/** Reads a `KEY='value'` file as `source` would. */
function readEnvFile(file: string): Record<string, string> {
  return Object.fromEntries(
    readFileSync(file, "utf8")
      .split("\n")
      .filter((line) => /^[A-Z0-9_]+='/.test(line))
      .map((line) => {
        const key = line.slice(0, line.indexOf("="));
        const value = line.slice(key.length + 2, -1).replace(/'\\''/g, "'");
        return [key, value];
      }),
  );
}

describe("npm run sim", () => {
  it("comes up, writes .ship/sim.env, serves the repository, and stops every child on SIGTERM", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "ship-sim-"));
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "scripts/sim.ts", "--data-dir", dataDir],
      {
        cwd: root,
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    let output = "";
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("Ready.")) resolve();
      });
      child.once("exit", (code) => reject(new Error(`sim exited (${code}): ${output}`)));
    });

    const env = readEnvFile(path.join(dataDir, "sim.env"));
    for (const key of [
      "GHE_HOST",
      "GHE_PROTOCOL",
      "APP_ID",
      "PRIVATE_KEY_PATH",
      "WEBHOOK_SECRET",
      "E2B_API_URL",
      "E2B_SANDBOX_URL",
      "E2B_API_KEY",
      "SHIP_MODEL",
      "SHIP_PROVIDERS",
      "SIM_REPO",
      "SIM_ISSUE",
      "SIM_USER_TOKEN",
      "SIM_READER_TOKEN",
    ]) {
      expect([key, env[key]]).toEqual([key, expect.any(String)]);
    }
    // The acceptance check from the issue, as curl would do it.
    const response = await fetch(
      `${env.GHE_PROTOCOL}://${env.GHE_HOST}/api/v3/repos/${env.SIM_REPO}`,
      {
        headers: { authorization: `token ${env.SIM_USER_TOKEN}` },
      },
    );
    expect(response.status).toBe(200);
    expect(((await response.json()) as { full_name: string }).full_name).toBe(env.SIM_REPO);

    // A process left running in a sandbox must not outlive `npm run sim`.
    const sandbox = await Sandbox.create("ship-opencode", {
      apiKey: env.E2B_API_KEY,
      apiUrl: env.E2B_API_URL,
      sandboxUrl: env.E2B_SANDBOX_URL,
    });
    const sleeper = await sandbox.commands.run("sleep 300", { background: true });
    // The stand-in reports the host's pid for a sandbox process.
    expect(isAlive(sleeper.pid)).toBe(true);

    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    // The sandbox server is gone, and with it every sandbox process.
    await expect(sandbox.commands.run("true")).rejects.toThrow();
    expect(isAlive(sleeper.pid)).toBe(false);
  });
});
