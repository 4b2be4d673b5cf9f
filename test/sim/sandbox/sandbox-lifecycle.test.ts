import { randomInt, randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { Sandbox, SandboxNotFoundError } from "e2b/dist/index.mjs";
import { sandboxPortUrl } from "../../../src/sandbox/sandbox-port-url.js";
import { hostProcessesWith } from "./host-processes.js";
import { isolations, useSandboxServer } from "./use-sandbox-server.js";
import { waitUntil } from "./wait-until.js";

/**
 * Pause, resume (connect), lifecycle, fork and snapshots against the stand-in,
 * through the real SDK, checking what E2B's own tests check of them plus what the
 * stand-in must prove on this machine: a paused sandbox's processes are really
 * stopped, and a snapshot's files are copies.
 */
for (const { isolation, available } of isolations) {
  const title = available
    ? `sandbox lifecycle (isolation ${isolation})`
    : `sandbox lifecycle (isolation ${isolation}: skipped, bubblewrap is not available here)`;
  (available ? describe : describe.skip)(title, () => {
    const world = useSandboxServer(isolation);
    const portUrl = (sandbox: Sandbox, port: number) =>
      sandboxPortUrl(sandbox, port, { sandboxUrl: world.server().sandboxUrl });

    describe("pause and resume", () => {
      it("pauses: not running, listed and described as paused; connect resumes the same sandbox", async () => {
        const sandbox = await world.create();
        expect(await sandbox.isRunning()).toBe(true);

        expect(await sandbox.pause()).toBe(true);
        expect(await sandbox.isRunning()).toBe(false);
        expect((await sandbox.getInfo()).state).toBe("paused");
        // Pausing a paused sandbox is no error: the SDK reads E2B's 409 as false.
        expect(await Sandbox.pause(sandbox.sandboxId, world.connection())).toBe(false);
        await expect(sandbox.commands.run("true")).rejects.toThrow();

        const resumed = await sandbox.connect();
        expect(resumed.sandboxId).toBe(sandbox.sandboxId);
        expect(await sandbox.isRunning()).toBe(true);
        expect((await sandbox.getInfo()).state).toBe("running");

        await sandbox.betaPause();
        const byId = await Sandbox.connect(sandbox.sandboxId, world.connection());
        expect(await byId.isRunning()).toBe(true);
      });

      it("keeps files and env vars across a pause", async () => {
        const sandbox = await world.create("ship-opencode", { envs: { TEST_VAR: "sfisback" } });
        await sandbox.files.write("test_snapshot.txt", "This is a snapshot test file.");
        await sandbox.pause();
        await sandbox.connect();
        expect(await sandbox.files.read("test_snapshot.txt")).toBe("This is a snapshot test file.");
        expect((await sandbox.commands.run('echo "$TEST_VAR"')).stdout.trim()).toBe("sfisback");
      });

      it("stops every process where it is (SIGSTOP) and lets it continue on resume", async () => {
        const sandbox = await world.create();
        const marker = `sleep ${randomInt(100_000, 999_999)}`;
        const sleeper = await sandbox.commands.run(marker, { background: true });
        // A loop that writes a timestamp every 50 ms: a pause shows as a gap.
        const ticker = `for i in $(seq 1 100000); do date +%s%3N >> ticks; sleep 0.05; done`;
        await sandbox.commands.run(ticker, { background: true });
        await waitUntil("the ticker ticks", async () =>
          (await sandbox.files.read("ticks").catch(() => "")).includes("\n"),
        );

        await sandbox.pause();
        const pids = await hostProcessesWith(marker);
        expect(pids).not.toEqual([]);
        for (const pid of pids) expect(await processState(pid)).toBe("T");
        await new Promise((resolve) => setTimeout(resolve, 700));

        await sandbox.connect();
        for (const pid of pids) expect(await processState(pid)).not.toBe("T");
        const listed = await sandbox.commands.list();
        expect(listed.map((command) => command.pid)).toContain(sleeper.pid);
        const reconnected = await sandbox.commands.connect(sleeper.pid);
        expect(reconnected.pid).toBe(sleeper.pid);

        await new Promise((resolve) => setTimeout(resolve, 300));
        const ticks = (await sandbox.files.read("ticks")).trim().split("\n").map(Number);
        const gaps = ticks.slice(1).map((tick, index) => tick - (ticks[index] ?? tick));
        expect(Math.max(...gaps)).toBeGreaterThanOrEqual(600);
        // It goes on ticking after the resume.
        expect(ticks.length).toBeGreaterThan(2);
      });

      it("finishes a command paused mid-way after the resume", async () => {
        const sandbox = await world.create();
        await sandbox.commands.run("sleep 1 && echo done > long.txt", {
          background: true,
        });
        expect(await sandbox.files.exists("long.txt")).toBe(false);
        await sandbox.pause();
        await sandbox.connect();
        await waitUntil("the paused command finished", () => sandbox.files.exists("long.txt"));
        expect((await sandbox.files.read("long.txt")).trim()).toBe("done");
      });

      it("keeps a server inside serving after a resume; while paused its port answers E2B's 502", async () => {
        const sandbox = await world.create();
        const port = await startServerIn(sandbox);
        const { baseUrl, headers } = portUrl(sandbox, port);
        expect((await fetch(baseUrl, { headers })).status).toBe(200);

        await sandbox.pause();
        const whilePaused = await fetch(baseUrl, { headers });
        expect(whilePaused.status).toBe(502);
        expect(await whilePaused.json()).toEqual({
          message: "The sandbox was not found",
          sandboxId: sandbox.sandboxId,
          code: 502,
        });

        await sandbox.connect();
        expect((await fetch(baseUrl, { headers })).status).toBe(200);
      });

      it("a filesystem-only pause (keepMemory: false) loses the processes and keeps the files", async () => {
        const sandbox = await world.create();
        const marker = `sleep ${randomInt(100_000, 999_999)}`;
        const sleeper = await sandbox.commands.run(marker, { background: true });
        await sandbox.files.write("/home/user/fs_only_snapshot.txt", "kept on disk");

        await sandbox.pause({ keepMemory: false });
        expect(await sandbox.isRunning()).toBe(false);
        expect(await hostProcessesWith(marker)).toEqual([]);

        await sandbox.connect();
        expect(await sandbox.files.read("/home/user/fs_only_snapshot.txt")).toBe("kept on disk");
        const listed = await sandbox.commands.list();
        expect(listed.map((command) => command.pid)).not.toContain(sleeper.pid);
        expect((await sandbox.commands.run("echo up")).stdout).toBe("up\n");
      });

      it("does not expire while paused; after a resume the new timeout counts", async () => {
        const sandbox = await world.create("ship-opencode", { timeoutMs: 1_000 });
        await sandbox.pause();
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        expect((await sandbox.getInfo()).state).toBe("paused");

        await sandbox.connect({ timeoutMs: 1_000 });
        expect(await sandbox.isRunning()).toBe(true);
        await waitUntil("the resumed sandbox expires", async () => !(await sandbox.isRunning()));
        await expect(sandbox.getInfo()).rejects.toBeInstanceOf(SandboxNotFoundError);
      });

      it("kills a paused sandbox, its stopped processes included", async () => {
        const test = randomUUID();
        const sandbox = await world.create("ship-opencode", { metadata: { test } });
        const marker = `sleep ${randomInt(100_000, 999_999)}`;
        await sandbox.commands.run(marker, { background: true });
        await sandbox.pause();

        expect(await sandbox.kill()).toBe(true);
        expect(await hostProcessesWith(marker)).toEqual([]);
        const listed = Sandbox.list({ query: { metadata: { test } }, ...world.connection() });
        expect(await listed.nextItems()).toEqual([]);
        await expect(Sandbox.connect(sandbox.sandboxId, world.connection())).rejects.toThrow(
          expect.objectContaining({ name: "SandboxNotFoundError" }),
        );
      });

      it("connect never shortens a running sandbox's timeout, and can extend it", async () => {
        const sandbox = await world.create("ship-opencode", { timeoutMs: 300_000 });
        const before = await sandbox.getInfo();
        await Sandbox.connect(sandbox.sandboxId, { ...world.connection(), timeoutMs: 10_000 });
        expect((await sandbox.getInfo()).endAt.getTime()).toBe(before.endAt.getTime());
        await sandbox.connect({ timeoutMs: 600_000 });
        expect((await sandbox.getInfo()).endAt.getTime()).toBeGreaterThan(before.endAt.getTime());
      });
    });

    describe("lifecycle", () => {
      it("onTimeout 'pause' pauses at the timeout instead of killing; connect wakes it", async () => {
        const sandbox = await world.create("ship-opencode", {
          timeoutMs: 1_000,
          lifecycle: { onTimeout: "pause", autoResume: false },
        });
        await sandbox.files.write("kept.txt", "after auto-pause");
        expect((await sandbox.getInfo()).lifecycle).toEqual({
          onTimeout: "pause",
          autoResume: false,
        });
        await waitUntil("the sandbox pauses itself", async () => {
          return (await sandbox.getInfo()).state === "paused";
        });
        expect(await sandbox.isRunning()).toBe(false);

        await sandbox.connect();
        expect((await sandbox.getInfo()).state).toBe("running");
        expect(await sandbox.files.read("kept.txt")).toBe("after auto-pause");
      });

      it("autoResume: traffic to a port wakes an auto-paused sandbox", async () => {
        const sandbox = await world.create("ship-opencode", {
          timeoutMs: 3_000,
          lifecycle: { onTimeout: "pause", autoResume: true },
        });
        const port = await startServerIn(sandbox);
        await waitUntil(
          "the sandbox pauses itself",
          async () => (await sandbox.getInfo()).state === "paused",
          10_000,
        );

        const { baseUrl, headers } = portUrl(sandbox, port);
        expect((await fetch(baseUrl, { headers })).status).toBe(200);
        expect((await sandbox.getInfo()).state).toBe("running");
        expect(await sandbox.isRunning()).toBe(true);
      });
    });

    describe("the edge's 502s", () => {
      it("answers E2B's body for a running sandbox's port nobody listens on", async () => {
        const sandbox = await world.create();
        const { baseUrl, headers } = portUrl(sandbox, await freePort());
        const response = await fetch(baseUrl, { headers });
        expect(response.status).toBe(502);
        expect(await response.json()).toEqual({
          message: "The sandbox is running but port is not open",
          sandboxId: sandbox.sandboxId,
          port: Number(headers["E2b-Sandbox-Port"]),
          code: 502,
        });
      });

      it("answers E2B's 502 body on a port and on envd once killed, or when it never existed", async () => {
        const sandbox = await world.create();
        const { baseUrl, headers } = portUrl(sandbox, 3000);
        await sandbox.kill();

        const response = await fetch(baseUrl, { headers });
        expect(response.status).toBe(502);
        expect(response.headers.get("content-type")).toMatch(/^application\/json/);
        const body = (await response.json()) as {
          message: string;
          sandboxId: string;
          code: number;
        };
        expect(body).toEqual({
          message: "The sandbox was not found",
          sandboxId: sandbox.sandboxId,
          code: 502,
        });
        expect(sandbox.sandboxId.startsWith(body.sandboxId)).toBe(true);
        expect(await sandbox.isRunning()).toBe(false);

        const envd = await fetch(`${baseUrl}/health`, {
          headers: { ...headers, "E2b-Sandbox-Port": "49983" },
        });
        expect(envd.status).toBe(502);
        expect((await envd.json()) as unknown).toMatchObject({ sandboxId: sandbox.sandboxId });

        const unknown = await fetch(baseUrl, {
          headers: { ...headers, "E2b-Sandbox-Id": "nosuchsandbox0000000" },
        });
        expect(await unknown.json()).toEqual({
          message: "The sandbox was not found",
          sandboxId: "nosuchsandbox0000000",
          code: 502,
        });
      });
    });

    describe("snapshots", () => {
      it("starts new sandboxes with the snapshot's files, each its own copy", async () => {
        const source = await world.create();
        await source.files.makeDir("/home/user/app");
        await source.files.write("/home/user/app/config.json", '{"env": "test"}');
        await source.files.write("/home/user/shared.txt", "shared snapshot content");
        await source.commands.run(
          'printf \'#!/bin/sh\\necho ran\\n\' > app/run.sh && chmod +x app/run.sh && ln -s app/config.json link.json && echo temp > "$(dirname "$(mktemp -u)")/in-tmp.txt"',
        );

        const snapshot = await source.createSnapshot();
        expect(snapshot.snapshotId).toEqual(expect.any(String));
        // The source runs on, untouched.
        expect(await source.isRunning()).toBe(true);
        await source.files.write("/home/user/shared.txt", "written after the snapshot");

        const opts = world.connection();
        const one = world.track(await Sandbox.create(snapshot.snapshotId, opts));
        const two = world.track(await Sandbox.create(snapshot.snapshotId, opts));
        for (const sandbox of [one, two]) {
          expect(await sandbox.files.read("/home/user/shared.txt")).toBe("shared snapshot content");
          expect(await sandbox.files.read("/home/user/app/config.json")).toBe('{"env": "test"}');
          expect((await sandbox.commands.run("./app/run.sh")).stdout).toBe("ran\n");
          expect((await sandbox.commands.run("readlink link.json")).stdout).toBe(
            "app/config.json\n",
          );
          // The temporary directory ($TMPDIR without isolation) is the sandbox's too.
          const temp = await sandbox.commands.run('cat "$(dirname "$(mktemp -u)")/in-tmp.txt"');
          expect(temp.stdout).toBe("temp\n");
        }
        expect((await one.getInfo()).templateId).not.toBe("ship-opencode");

        await one.files.write("/home/user/shared.txt", "modified in sandbox1");
        expect(await two.files.read("/home/user/shared.txt")).toBe("shared snapshot content");
        expect(await source.files.read("/home/user/shared.txt")).toBe("written after the snapshot");

        // Neither a later write nor the source's death reaches the snapshot.
        await source.kill();
        const three = world.track(await Sandbox.create(snapshot.snapshotId, opts));
        expect(await three.files.read("/home/user/shared.txt")).toBe("shared snapshot content");
        expect(await Sandbox.deleteSnapshot(snapshot.snapshotId, opts)).toBe(true);
      });

      it("keeps the source's processes running through a snapshot", async () => {
        const source = await world.create();
        const port = await startServerIn(source);
        await source.createSnapshot();
        const { baseUrl, headers } = portUrl(source, port);
        expect((await fetch(baseUrl, { headers })).status).toBe(200);
        const fromSnapshot = await source.listSnapshots().nextItems();
        expect(fromSnapshot).toHaveLength(1);
      });

      it("lists, names and deletes snapshots", async () => {
        const opts = world.connection();
        const source = await world.create();
        const other = await world.create();
        const name = `snap-${randomInt(1_000_000)}`;
        const named = await source.createSnapshot({ name });
        expect(named.names.some((full) => full.includes(name))).toBe(true);
        const unnamed = await other.createSnapshot();

        const all = await Sandbox.listSnapshots(opts).nextItems();
        expect(all.map((snapshot) => snapshot.snapshotId)).toEqual(
          expect.arrayContaining([named.snapshotId, unnamed.snapshotId]),
        );
        const ofSource = await source.listSnapshots().nextItems();
        expect(ofSource.map((snapshot) => snapshot.snapshotId)).toEqual([named.snapshotId]);
        const byName = await Sandbox.listSnapshots({ ...opts, name }).nextItems();
        expect(byName.map((snapshot) => snapshot.snapshotId)).toEqual([named.snapshotId]);
        expect(await Sandbox.listSnapshots({ ...opts, name: `${name}-nope` }).nextItems()).toEqual(
          [],
        );

        // The bare name starts sandboxes too; they report the snapshot as their template.
        const fromName = world.track(await Sandbox.create(name, opts));
        const listed = await Sandbox.list({
          ...opts,
          query: { template: name, state: ["running"] },
        }).nextItems();
        expect(listed.map((sandbox) => sandbox.sandboxId)).toEqual([fromName.sandboxId]);

        expect(await Sandbox.deleteSnapshot(named.snapshotId, opts)).toBe(true);
        expect(await Sandbox.deleteSnapshot(named.snapshotId, opts)).toBe(false);
        await expect(Sandbox.create(named.snapshotId, opts)).rejects.toThrow(/not found/);
        expect(await Sandbox.deleteSnapshot(unnamed.snapshotId, opts)).toBe(true);
      });
    });

    describe("fork", () => {
      it("forks: new sandboxes with the files, independent of the running original", async () => {
        const sandbox = await world.create("ship-opencode", { metadata: { role: "original" } });
        await sandbox.files.write("/home/user/state.txt", "state before fork");

        const forks = await sandbox.fork({ count: 2, timeoutMs: 60_000 });
        const forked = forks.filter((fork): fork is Sandbox => fork instanceof Sandbox);
        forked.forEach(world.track);
        expect(forked).toHaveLength(2);
        expect(new Set(forked.map((fork) => fork.sandboxId)).size).toBe(2);
        expect(await sandbox.isRunning()).toBe(true);

        const [fork] = forked as [Sandbox, Sandbox];
        expect(fork.sandboxId).not.toBe(sandbox.sandboxId);
        expect(await fork.files.read("/home/user/state.txt")).toBe("state before fork");
        await fork.files.write("/home/user/state.txt", "modified in fork");
        expect(await sandbox.files.read("/home/user/state.txt")).toBe("state before fork");
        expect((await fork.getInfo()).templateId).toBe("ship-opencode");

        await sandbox.kill();
        await expect(sandbox.fork()).rejects.toBeInstanceOf(SandboxNotFoundError);
      });
    });
  });
}

/** A process's one-letter state (R, S, T...) from `/proc/<pid>/stat`. */
async function processState(pid: number): Promise<string> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
}

/** Starts a tiny HTTP server in `sandbox` and resolves with its port once it listens. */
async function startServerIn(sandbox: Sandbox): Promise<number> {
  const port = await freePort();
  await sandbox.files.write(
    "/home/user/server.cjs",
    `require("node:http").createServer((req, res) => res.end("ok")).listen(${port}, "0.0.0.0", () => console.log("listening"));`,
  );
  await new Promise<void>((resolve) => {
    void sandbox.commands.run("node server.cjs", {
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
