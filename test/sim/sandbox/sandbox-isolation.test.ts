import { randomBytes, randomInt } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { CommandExitError, Sandbox } from "e2b/dist/index.mjs";
import {
  type SandboxServer,
  startSandboxServer,
} from "../../../src/sim/sandbox/start-sandbox-server.js";
import { describeNeeding } from "../../helpers/describe-needing.js";
import { testLogger } from "../../helpers/test-logger.js";
import { waitFor } from "../../helpers/wait-for.js";
import { hostProcessesWith } from "./host-processes.js";

/** What a sandbox may find in its environment; nothing else, the host's least of all. */
const sandboxEnvNames = new Set([
  "PATH",
  "HOME",
  "USER",
  "LOGNAME",
  "LANG",
  "PWD",
  "SHLVL",
  "_",
  "OLDPWD",
  "E2B_SANDBOX",
  "E2B_SANDBOX_ID",
  "E2B_TEMPLATE_ID",
  "CHOSEN",
  // Without isolation only: temporary files go to the sandbox's own /tmp.
  "TMPDIR",
]);

async function withServer(
  isolation: "bwrap" | "none",
  body: (
    server: SandboxServer,
    connection: { apiKey: string; apiUrl: string; sandboxUrl: string },
  ) => Promise<void>,
): Promise<void> {
  const server = await startSandboxServer({ isolation, log: testLogger() });
  try {
    await body(server, {
      apiKey: server.apiKey,
      apiUrl: server.apiUrl,
      sandboxUrl: server.sandboxUrl,
    });
  } finally {
    await server.stop();
  }
}

describeNeeding("bubblewrap", "a sandbox under bwrap", () => {
  let hostDir: string;
  beforeAll(async () => {
    hostDir = await mkdtemp(path.join(tmpdir(), "ship-host-secret-"));
  });
  afterAll(async () => {
    await rm(hostDir, { recursive: true, force: true });
  });

  it("cannot read the host's files: a secret planted in the host's temp dir, /root, /work", async () => {
    const secret = randomBytes(16).toString("hex");
    const planted = path.join(hostDir, "secret.txt");
    await writeFile(planted, secret);
    await withServer("bwrap", async (_server, connection) => {
      const sandbox = await Sandbox.create("base", connection);
      const attempt = await sandbox.commands.run(`cat ${planted}`).catch((e) => e);
      expect(attempt).toBeInstanceOf(CommandExitError);
      expect((attempt as CommandExitError).stdout).not.toContain(secret);
      expect((attempt as CommandExitError).stderr).toMatch(/No such file or directory/);

      const listing = await sandbox.commands.run(
        `ls /root /work /etc/shadow /etc/npmrc 2>&1; grep -rl ${secret} /home /tmp /etc /opt 2>/dev/null; true`,
      );
      expect(listing.stdout).not.toContain(secret);
      expect(listing.stdout).toMatch(/cannot access '\/root'/);
      expect(listing.stdout).toMatch(/cannot access '\/work'/);
      expect(listing.stdout).toMatch(/cannot access '\/etc\/shadow'/);
    });
  });

  it("cannot read another sandbox's files, by its path on the host or any other", async () => {
    await withServer("bwrap", async (server, connection) => {
      const secret = randomBytes(16).toString("hex");
      const owner = await Sandbox.create("base", connection);
      await owner.files.write("/home/user/secret.txt", secret);
      const ownerDir = server.sandboxDir(owner.sandboxId) ?? "";
      expect(ownerDir).not.toBe("");

      const snoop = await Sandbox.create("base", connection);
      const attempt = await snoop.commands
        .run(`cat ${ownerDir}/home/user/secret.txt; cat /home/user/secret.txt`)
        .catch((e) => e);
      expect(attempt).toBeInstanceOf(CommandExitError);
      expect((attempt as CommandExitError).stdout).not.toContain(secret);
      // Its files API is confined to its own directory too, symlinks included.
      await snoop.commands.run(`ln -s ${ownerDir}/home/user/secret.txt /home/user/link`);
      await expect(snoop.files.read("/home/user/link")).rejects.toThrow(/does not exist/);
      expect(await owner.files.read("/home/user/secret.txt")).toBe(secret);
    });
  });

  it("starts processes with none of the host's environment, as user, seeing only its own processes", async () => {
    process.env.SHIP_TEST_HOST_SECRET = "must-not-leak";
    try {
      await withServer("bwrap", async (_server, connection) => {
        const sandbox = await Sandbox.create("ship-opencode", {
          ...connection,
          envs: { CHOSEN: "yes" },
        });
        const env = await sandbox.commands.run("env");
        const names = env.stdout
          .trim()
          .split("\n")
          .map((line) => line.split("=")[0]);
        expect(names.filter((name) => !sandboxEnvNames.has(name ?? ""))).toEqual([]);
        expect(env.stdout).not.toContain("must-not-leak");
        expect(env.stdout).toContain("CHOSEN=yes");

        const sleep = `sleep ${randomInt(100_000, 999_999)}`;
        await sandbox.commands.run(sleep, { background: true });
        const ps = await sandbox.commands.run("id -un; ps -e -o pid=,comm=");
        const [user, ...processes] = ps.stdout.trim().split("\n");
        expect(user).toBe("user");
        // Its init, its sleep, and this ps's shell and ps: nothing of the host.
        expect(processes.length).toBeLessThanOrEqual(6);
        expect(processes.join("\n")).not.toMatch(/node|jest|postgres/);
      });
    } finally {
      delete process.env.SHIP_TEST_HOST_SECRET;
    }
  });
});

describe("a sandbox without isolation", () => {
  it("still starts processes with a clean environment", async () => {
    process.env.SHIP_TEST_HOST_SECRET = "must-not-leak";
    try {
      await withServer("none", async (server, connection) => {
        expect(server.isolation).toBe("none");
        const sandbox = await Sandbox.create("ship-opencode", {
          ...connection,
          envs: { CHOSEN: "yes" },
        });
        const env = await sandbox.commands.run("env");
        const names = env.stdout
          .trim()
          .split("\n")
          .map((line) => line.split("=")[0]);
        expect(names.filter((name) => !sandboxEnvNames.has(name ?? ""))).toEqual([]);
        expect(env.stdout).not.toContain("must-not-leak");
        expect((await sandbox.commands.run("opencode --version")).exitCode).toBe(0);
      });
    } finally {
      delete process.env.SHIP_TEST_HOST_SECRET;
    }
  });

  it("still kills a daemon that left the command's process group", async () => {
    await withServer("none", async (_server, connection) => {
      const sandbox = await Sandbox.create("base", connection);
      const daemon = `sleep ${randomInt(100_000, 999_999)}`;
      await sandbox.commands.run(`setsid ${daemon} > /dev/null 2>&1 < /dev/null &`);
      expect(await hostProcessesWith(daemon)).not.toEqual([]);
      await sandbox.kill();
      // SIGKILL is sent at once; the kernel takes a moment to reap under load.
      await waitFor(
        "the daemon to be gone",
        async () => ((await hostProcessesWith(daemon)).length === 0 ? true : undefined),
        5_000,
        50,
      );
    });
  });
});

describe("a sandbox without isolation, as a machine without bubblewrap runs it", () => {
  it("hands back paths its commands print, which the files API and later commands find", async () => {
    await withServer("none", async (_server, connection) => {
      const sandbox = await Sandbox.create("ship-opencode", connection);
      // What Ship does: read $HOME, clone under it, export blobs with `mktemp -d -t`.
      const home = (await sandbox.commands.run('printf %s "$HOME"')).stdout;
      await sandbox.commands.run(`mkdir -p "${home}/repo" && echo hello > "${home}/repo/a.txt"`);
      const inRepo = await sandbox.commands.run("cat a.txt", { cwd: `${home}/repo` });
      expect(inRepo.stdout).toBe("hello\n");
      expect(await sandbox.files.read(`${home}/repo/a.txt`)).toBe("hello\n");
      expect(await sandbox.files.read("/home/user/repo/a.txt")).toBe("hello\n");
      const temp = (
        await sandbox.commands.run(
          'd="$(mktemp -d -t x.XXXX)" && echo hi > "$d/f" && printf %s "$d"',
        )
      ).stdout;
      expect(await sandbox.files.read(`${temp}/f`)).toBe("hi\n");
      await sandbox.files.write("/home/user/from-api.txt", "api");
      expect((await sandbox.commands.run('cat "$HOME/from-api.txt"')).stdout).toBe("api");
      await sandbox.kill();
    });
  });
});
