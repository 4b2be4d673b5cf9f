import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { jest } from "@jest/globals";
import { getRun } from "../../src/runs/get-run.js";
import type { Run } from "../../src/runs/run.js";
import { listRunSandboxes } from "../../src/sandbox/list-run-sandboxes.js";
import { type ShipProcess, startShipProcess } from "../../src/sim/start-ship-process.js";
import { askShip } from "../helpers/ask-ship.js";
import { startTestShip, type TestShip } from "../helpers/start-test-ship.js";
import { waitFor } from "../helpers/wait-for.js";

jest.retryTimes(1, { logErrorsBeforeRetry: true });

/** Short, so a dead worker's run moves on within seconds (the default is 30 s). */
const heartbeatSeconds = 10;
/** What the issue allows from the kill to the run's end on another worker. */
const recoveryBudgetMs = (heartbeatSeconds + 60) * 1000;

/**
 * `kill -9` a worker process in each phase of a run: another worker (another process,
 * same database) picks the run up once the dead one's heartbeat stops, and carries it
 * to its end from its recovery point, with one branch, one pull request and one status
 * comment, and no sandbox left running.
 */
describe("a worker killed mid-run", () => {
  let t: TestShip;
  let workerEnv: Record<string, string>;
  const workers: ShipProcess[] = [];
  const figures: string[] = [];

  const startWorker = async () => {
    const worker = startShipProcess(workerEnv);
    workers.push(worker);
    await worker.ready;
    return worker;
  };
  const runOf = (commentId: number) =>
    t.db.pool
      .query<{ id: number }>(
        "SELECT id::int AS id FROM runs WHERE (request->>'commentId')::bigint = $1",
        [commentId],
      )
      .then(({ rows }) => (rows[0] ? getRun(t.db.pool, rows[0].id) : undefined));

  beforeAll(async () => {
    const encryptionKey = randomBytes(32).toString("hex");
    // This process receives webhooks and serves pages; the workers are other processes.
    t = await startTestShip({ SHIP_ROLE: "web", SHIP_ENCRYPTION_KEY: encryptionKey });
    workerEnv = {
      ...t.world.shipEnv,
      DATABASE_URL: t.db.url,
      SHIP_ROLE: "worker",
      SHIP_ENCRYPTION_KEY: encryptionKey,
      SHIP_PUBLIC_URL: t.config.publicUrl,
      SHIP_WORKER_HEARTBEAT: `${heartbeatSeconds}s`,
      SHIP_GITHUB_THROTTLE: "off",
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_LEVEL: "info",
    };
  });
  afterAll(async () => {
    for (const worker of workers) worker.child.kill("SIGKILL");
    await Promise.all(workers.map((worker) => worker.exited));
    process.stdout.write(`worker crash recovery (kill -9 -> run ended): ${figures.join("; ")}\n`);
    await t?.stop();
  });

  /** Starts a run, kills its worker when `when` says, and returns the run's end on the next worker. */
  async function killDuring(
    phase: string,
    model: string,
    when: (run: Run) => boolean,
  ): Promise<{ run: Run; issueNumber: number }> {
    if (!workers.some((worker) => worker.child.exitCode === null && !worker.child.killed)) {
      await startWorker();
    }
    const { issue, comment } = askShip(t, `/ship --model ${model} add a README`);
    await waitFor(
      `the run to reach "${phase}"`,
      async () => {
        const run = await runOf(comment.id);
        return run && when(run) ? run : undefined;
      },
      60_000,
      10,
    );
    // Every worker dies at once, so the one carrying the run surely does.
    const alive = workers.filter((worker) => !worker.child.killed);
    for (const worker of alive) worker.child.kill("SIGKILL");
    const killedAt = Date.now();
    await Promise.all(alive.map((worker) => worker.exited));
    await startWorker(); // the rescuer, and the next scenario's victim
    const run = await waitFor(
      "another worker to end the run",
      async () => {
        const current = await runOf(comment.id);
        return current && (current.state === "succeeded" || current.state === "failed")
          ? current
          : undefined;
      },
      recoveryBudgetMs + 30_000,
      200,
    );
    const tookMs = Date.now() - killedAt;
    figures.push(`${phase} ${(tookMs / 1000).toFixed(1)} s`);
    expect(tookMs).toBeLessThan(recoveryBudgetMs);
    return { run, issueNumber: issue.number };
  }

  /** What a person would see: one branch, one PR, one comment, nothing left running. */
  async function expectOneOfEach(run: Run, issueNumber: number) {
    const { repository } = t.world.sample;
    const pulls = (await t.world.github.pullRequests(repository)).filter((pr) =>
      pr.body?.includes(`Fixes #${issueNumber}\n`),
    );
    if (run.state === "succeeded") {
      expect(pulls).toHaveLength(1);
      expect(pulls[0]?.draft).toBe(true);
      expect(pulls[0]?.head.ref).toBe(run.branch);
    } else {
      expect(pulls.length).toBeLessThanOrEqual(1);
      expect(run.errorMessage).toContain("/ship retry");
    }
    // The branches on GitHub, as git sees them.
    const remote = new URL(`${t.world.github.url}/${repository}.git`);
    remote.username = "x-access-token";
    remote.password = t.world.sample.writer.token;
    const { stdout } = await promisify(execFile)("git", [
      "ls-remote",
      "--heads",
      remote.toString(),
    ]);
    const branches = stdout.split("\n").filter((line) => line.endsWith(`-${issueNumber}`));
    expect(branches.length).toBeLessThanOrEqual(1);
    if (run.state === "succeeded") expect(branches).toHaveLength(1);
    const status = await waitFor("the final status comment", () => {
      const comments = t.world.github
        .issueComments(repository, issueNumber)
        .filter((c) => c.body.includes(`<!-- ship:run:${run.id} -->`));
      expect(comments.length).toBeLessThanOrEqual(1);
      const final = run.state === "succeeded" ? "✅" : "❌";
      return comments[0]?.body.includes(final) ? comments[0] : undefined;
    });
    if (run.state === "succeeded") expect(status.body).toContain(pulls[0]?.htmlUrl ?? "-");
    // The sandbox is killed right after the final comment: nothing of the run stays.
    await waitFor(
      "the run's sandboxes to be gone",
      async () => {
        const left = (await listRunSandboxes(t.config.sandbox, t.world.app.id)).filter(
          (sandbox) => sandbox.runId === run.id,
        );
        return left.length === 0 ? true : undefined;
      },
      10_000,
    );
  }

  it("after its sandbox was created", async () => {
    const { run, issueNumber } = await killDuring(
      "sandbox created",
      "sim/write-readme",
      (r) => r.sandboxId !== null,
    );
    expect(run.state).toBe("succeeded");
    expect(run.attempts).toBeGreaterThanOrEqual(2);
    await expectOneOfEach(run, issueNumber);
  });

  it("while the agent is working", async () => {
    const { run, issueNumber } = await killDuring(
      "agent running",
      "sim/slow-readme",
      (r) => r.phase === "agent",
    );
    expect(run.state).toBe("succeeded");
    await expectOneOfEach(run, issueNumber);
  });

  it("after the branch was pushed, before the pull request", async () => {
    // Opening the PR takes 3 s this once: the worker dies in between.
    t.world.github.faults.add({
      method: "POST",
      path: /\/pulls$/,
      effect: { type: "latency", ms: 3_000 },
      times: 1,
    });
    const { run, issueNumber } = await killDuring(
      "branch pushed",
      "sim/write-readme",
      (r) => r.headSha !== null && r.prNumber === null,
    );
    expect(run.state).toBe("succeeded");
    await expectOneOfEach(run, issueNumber);
  });

  it("after the pull request was opened", async () => {
    const { run, issueNumber } = await killDuring(
      "pull request opened",
      "sim/write-readme",
      (r) => r.prNumber !== null,
    );
    expect(run.state).toBe("succeeded");
    await expectOneOfEach(run, issueNumber);
  });
});
