import { execFileSync } from "node:child_process";
import { randomInt } from "node:crypto";
import { Sandbox } from "e2b/dist/index.mjs";
import { sandboxPortUrl } from "../../../src/sandbox/sandbox-port-url.js";
import {
  type SandboxServer,
  startSandboxServer,
} from "../../../src/sim/sandbox/start-sandbox-server.js";
import { missingRequirement } from "../../helpers/missing-requirement.js";
import { testLogger } from "../../helpers/test-logger.js";
import { waitFor } from "../../helpers/wait-for.js";

/** Whether this machine has a program (the templates take theirs from its packages). */
function hostHas(program: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${program}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Which of `programs` a sandbox finds on its PATH, as a login shell (envd's) sees it. */
async function found(sandbox: Sandbox, programs: string[]): Promise<Record<string, boolean>> {
  const script = programs
    .map((p) => `command -v ${p} >/dev/null && echo "${p}=y" || echo "${p}=n"`)
    .join("; ");
  const { stdout } = await sandbox.commands.run(script);
  return Object.fromEntries(
    stdout
      .trim()
      .split("\n")
      .map((line) => line.split("="))
      .map(([name, yes]) => [name, yes === "y"]),
  );
}

const modes = missingRequirement("bubblewrap") ? (["none"] as const) : (["bwrap", "none"] as const);

// A sandbox has what its template has on E2B, not what this machine happens to have:
// setup commands and the agent's tools are tested as they will run there.
describe.each(modes)("templates (isolation %s)", (isolation) => {
  let server: SandboxServer;
  let connection: { apiKey: string; apiUrl: string; sandboxUrl: string };
  const created: Sandbox[] = [];

  beforeAll(async () => {
    server = await startSandboxServer({ isolation, log: testLogger() });
    connection = { apiKey: server.apiKey, apiUrl: server.apiUrl, sandboxUrl: server.sandboxUrl };
  });
  afterAll(async () => {
    await Promise.all(created.map((sandbox) => sandbox.kill().catch(() => false)));
    await server?.stop();
  });
  const create = async (template: string, options: { envs?: Record<string, string> } = {}) => {
    const sandbox = await Sandbox.create(template, { ...connection, ...options });
    created.push(sandbox);
    return sandbox;
  };

  it("base is E2B's: python, git and sudo for user; no Node, no OpenCode", async () => {
    const sandbox = await create("base");
    expect(await found(sandbox, ["python", "python3", "git", "sudo", "node", "opencode"])).toEqual({
      python: true,
      python3: true,
      git: true,
      sudo: true,
      node: false,
      opencode: false,
    });
    // E2B's own env-var tests: a command's env vars are its own, and sudo works.
    const scoped = await sandbox.commands.run("echo $FOO", { envs: { FOO: "bar" } });
    expect(scoped.stdout.trim()).toBe("bar");
    const later = await sandbox.commands.run('sudo echo "$FOO"');
    expect(later.exitCode).toBe(0);
    expect(later.stdout.trim()).toBe("");
    const python = await sandbox.commands.run(
      "python3 -c \"import os; print(os.environ['FOO'])\"",
      { envs: { FOO: "bar" } },
    );
    expect(python.stdout.trim()).toBe("bar");
    expect((await sandbox.commands.run("sudo -E -u root whoami")).exitCode).toBe(0);
  });

  it("base serves `python -m http.server` on a port reached from outside, as E2B's host test does", async () => {
    const sandbox = await create("base");
    const port = randomInt(20_000, 30_000);
    await sandbox.commands.run(`python -m http.server ${port}`, { background: true, cwd: "/tmp" });
    const { baseUrl, headers } = sandboxPortUrl(sandbox, port, { sandboxUrl: server.sandboxUrl });
    const answer = await waitFor(
      "python's http.server to answer",
      async () => {
        const res = await fetch(`${baseUrl}/`, { headers }).catch(() => undefined);
        return res?.status === 200 ? res : undefined;
      },
      15_000,
    );
    expect(answer.status).toBe(200);
  });

  it("ship-opencode is Ship's: Node 20 with npm, git, ripgrep, python3 and OpenCode", async () => {
    const sandbox = await create("ship-opencode");
    const tools = await found(sandbox, ["node", "npm", "git", "python3", "opencode", "sudo"]);
    expect(tools).toEqual({
      node: true,
      npm: true,
      git: true,
      python3: true,
      opencode: true,
      sudo: true,
    });
    expect((await sandbox.commands.run("node --version")).stdout).toMatch(/^v20\./);
    expect((await sandbox.commands.run("opencode --version")).exitCode).toBe(0);
    if (hostHas("rg")) {
      expect((await sandbox.commands.run("rg --version")).stdout).toMatch(/^ripgrep /);
    } else {
      process.stderr.write("SKIPPED the ripgrep check: this machine has no ripgrep\n");
    }
  });

  it("bare is Ship's without OpenCode", async () => {
    const sandbox = await create("bare");
    expect(await found(sandbox, ["node", "git", "opencode"])).toEqual({
      node: true,
      git: true,
      opencode: false,
    });
  });

  it("has none of this machine's other programs on its PATH", async () => {
    // The machine has a compiler (node-gyp needs one); no template does.
    expect(hostHas("g++")).toBe(true);
    const sandbox = await create("ship-opencode");
    expect(await found(sandbox, ["g++", "cc", "apt-get"])).toEqual({
      "g++": false,
      cc: false,
      "apt-get": false,
    });
    if (isolation === "bwrap") {
      // Isolated, they are not there at all, not even by their path.
      const absolute = await sandbox.commands.run("test -e /usr/bin/g++ || echo absent");
      expect(absolute.stdout.trim()).toBe("absent");
    }
  });
});
