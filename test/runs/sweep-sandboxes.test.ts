import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { readConfig } from "../../src/config/read-config.js";
import { migrate } from "../../src/db/migrate.js";
import { finishRun } from "../../src/runs/finish-run.js";
import { handleSweepSandboxesJob } from "../../src/runs/handle-sweep-sandboxes-job.js";
import { startRun } from "../../src/runs/start-run.js";
import { sweepGraceMs } from "../../src/runs/sweep-sandboxes.js";
import { updateRun } from "../../src/runs/update-run.js";
import { createSandbox } from "../../src/sandbox/create-sandbox.js";
import { listRunSandboxes } from "../../src/sandbox/list-run-sandboxes.js";
import type { SandboxSettings } from "../../src/sandbox/sandbox-settings.js";
import { type LocalWorld, startLocalWorld } from "../../src/sim/start-local-world.js";
import { createTestDatabase, type TestDatabase } from "../helpers/create-test-database.js";
import { insertTestRun } from "../helpers/insert-test-run.js";
import { testLogger } from "../helpers/test-logger.js";

/** The sweeper kills the sandboxes no run will use again, through the real e2b SDK. */
describe("the sandbox sweeper", () => {
  let db: TestDatabase;
  let world: LocalWorld;
  let settings: SandboxSettings;
  const appId = 41;

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrate(db.pool, testLogger());
    world = await startLocalWorld({
      dataDir: mkdtempSync(path.join(tmpdir(), "ship-sweep-")),
      webhookUrl: "http://127.0.0.1:9/none",
      log: testLogger(),
    });
    settings = readConfig({ ...world.shipEnv, DATABASE_URL: db.url }, tmpdir()).sandbox;
  });
  afterAll(async () => {
    await world?.stop();
    await db?.drop();
  });

  const start = async (runId: number, app = appId) =>
    (
      await createSandbox(settings, {
        appId: app,
        runId,
        repository: "octo/hello",
        timeoutMs: 600_000,
      })
    ).sandboxId;
  const alive = async (app = appId) =>
    new Set((await listRunSandboxes(settings, app)).map((sandbox) => sandbox.sandboxId));

  it("kills sandboxes of ended, unknown or moved-on runs, and spares live and young ones", async () => {
    const ended = await insertTestRun(db.pool, { thread: 1 });
    await startRun(db.pool, ended);
    const endedBox = await start(ended);
    await finishRun(db.pool, ended, { state: "succeeded" });

    const running = await insertTestRun(db.pool, { thread: 2 });
    await startRun(db.pool, running);
    const oldBox = await start(running); // left by a worker that died
    const currentBox = await start(running);
    await updateRun(db.pool, running, { sandboxId: currentBox });

    const unknownBox = await start(999_999);
    const otherDeployment = await start(ended, appId + 1);

    expect(await alive()).toEqual(new Set([endedBox, oldBox, currentBox, unknownBox]));

    const sweep = (nowMs: number) =>
      handleSweepSandboxesJob({
        db: db.pool,
        sandbox: settings,
        appId,
        now: () => new Date(nowMs),
        log: testLogger(),
      })({}, { jobId: "1", attempt: 1, signal: new AbortController().signal, log: testLogger() });

    // Just created: the run may not have recorded its sandbox yet. Nothing is swept.
    await sweep(Date.now());
    expect(await alive()).toEqual(new Set([endedBox, oldBox, currentBox, unknownBox]));

    await sweep(Date.now() + sweepGraceMs + 1_000);
    expect(await alive()).toEqual(new Set([currentBox]));
    // Another deployment's sandbox (another GitHub App) is not this sweeper's.
    expect(await alive(appId + 1)).toEqual(new Set([otherDeployment]));
  });
});
