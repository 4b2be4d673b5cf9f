import { randomBytes } from "node:crypto";
import { jest } from "@jest/globals";
import { sign } from "@octokit/webhooks-methods";
import { getRun } from "../../src/runs/get-run.js";
import { listRunSandboxes } from "../../src/sandbox/list-run-sandboxes.js";
import { captureCommentDelivery } from "../../src/sim/capture-comment-delivery.js";
import { type ShipProcess, startShipProcess } from "../../src/sim/start-ship-process.js";
import { askShip } from "../helpers/ask-ship.js";
import { startTestShip, type TestShip } from "../helpers/start-test-ship.js";
import { waitFor } from "../helpers/wait-for.js";

jest.retryTimes(1, { logErrorsBeforeRetry: true });

/**
 * Webhooks arrive more than once and processes die or are stopped: Ship records each
 * delivery once, never acknowledges what it did not commit, and leaves no run or
 * sandbox behind on SIGTERM. Ship runs here as several processes on one database.
 */
describe("deliveries and processes", () => {
  let t: TestShip;
  let env: Record<string, string>;
  const processes: ShipProcess[] = [];
  const figures: string[] = [];

  const startProcess = async (extra: Record<string, string>) => {
    const ship = startShipProcess({ ...env, ...extra });
    processes.push(ship);
    return { ship, port: await ship.ready };
  };
  const runsOf = async (commentId: number) =>
    (
      await t.db.pool.query<{ id: number }>(
        "SELECT id::int AS id FROM runs WHERE (request->>'commentId')::bigint = $1",
        [commentId],
      )
    ).rows;

  beforeAll(async () => {
    const encryptionKey = randomBytes(32).toString("hex");
    t = await startTestShip({ SHIP_ROLE: "web", SHIP_ENCRYPTION_KEY: encryptionKey });
    env = {
      ...t.world.shipEnv,
      DATABASE_URL: t.db.url,
      SHIP_ENCRYPTION_KEY: encryptionKey,
      SHIP_PUBLIC_URL: t.config.publicUrl,
      SHIP_GITHUB_THROTTLE: "off",
      SHIP_WORKER_HEARTBEAT: "10s",
      HOST: "127.0.0.1",
      PORT: "0",
    };
  });
  afterAll(async () => {
    for (const ship of processes) ship.child.kill("SIGKILL");
    await Promise.all(processes.map((ship) => ship.exited));
    process.stdout.write(`deliveries and processes: ${figures.join("; ")}\n`);
    await t?.stop();
  });

  it("turns 50 concurrent copies of one delivery, over 2 processes, into 1 run, 1 job and 1 status comment", async () => {
    const other = await startProcess({ SHIP_ROLE: "web" });
    // The comment's webhook goes nowhere; the test delivers it, 50 times at once.
    const shipHook = `${t.config.publicUrl}/api/github/webhooks`;
    const captured = await captureCommentDelivery(t.world, {
      body: "/ship add a README",
      webhookUrl: shipHook,
    });
    const { delivery } = captured;
    const issue = { number: captured.issueNumber };
    const comment = { id: captured.commentId };
    const body = JSON.stringify(delivery.payload);
    const headers = {
      "content-type": "application/json",
      "x-github-event": "issue_comment",
      "x-github-delivery": delivery.guid,
      "x-hub-signature-256": await sign("sim-webhook-secret", body),
    };
    const targets = [shipHook, `http://127.0.0.1:${other.port}/api/github/webhooks`];
    const started = performance.now();
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        fetch(targets[i % 2] as string, { method: "POST", headers, body }).then(async (r) => {
          await r.arrayBuffer();
          return r.status;
        }),
      ),
    );
    figures.push(`50 duplicates answered in ${Math.round(performance.now() - started)} ms`);
    expect(replies.filter((status) => status < 200 || status > 299)).toEqual([]);

    const runs = await runsOf(comment.id);
    expect(runs).toHaveLength(1);
    const runId = runs[0]?.id as number;
    const { rows: jobs } = await t.db.pool.query(
      "SELECT name FROM pgboss.job WHERE name IN ('run', 'acknowledge') AND (data->>'runId')::int = $1",
      [runId],
    );
    expect(jobs.map((job) => job.name).sort()).toEqual(["acknowledge", "run"]);

    // A worker carries it out: still one status comment, with the run's end.
    await startProcess({ SHIP_ROLE: "worker" });
    await waitFor("the run to end", async () => {
      const run = await getRun(t.db.pool, runId);
      return run?.state === "succeeded" ? run : undefined;
    });
    const status = await waitFor("the final status comment", () => {
      const comments = t.world.github
        .issueComments(t.world.sample.repository, issue.number)
        .filter((c) => c.body.includes(`<!-- ship:run:${runId} -->`));
      expect(comments.length).toBeLessThanOrEqual(1);
      return comments[0]?.body.includes("✅") ? comments : undefined;
    });
    expect(status).toHaveLength(1);
  });

  it("never acknowledges a delivery it did not commit: killed mid-ingest, the redelivery makes 1 run", async () => {
    const victim = await startProcess({ SHIP_ROLE: "web" });
    t.world.github.setWebhookUrl(
      t.world.app.id,
      `http://127.0.0.1:${victim.port}/api/github/webhooks`,
    );
    // Ingest waits on the permission check: the process dies in the middle of it.
    const slow = t.world.github.faults.add({
      method: "GET",
      path: /\/collaborators\/[^/]+\/permission$/,
      effect: { type: "latency", ms: 5_000 },
      times: 1,
    });
    const { comment } = askShip(t, "/ship add a README");
    await waitFor("the permission check to be under way", () => slow.hits > 0);
    victim.ship.child.kill("SIGKILL");
    await victim.ship.exited;
    await t.world.github.waitForDeliveries();
    const delivery = t.world.github.deliveries.find(
      (d) => d.event === "issue_comment" && (d.payload.comment as { id: number }).id === comment.id,
    );
    expect(delivery?.statusCode ?? 0).not.toBeGreaterThanOrEqual(200);
    expect(await runsOf(comment.id)).toEqual([]);

    // GitHub does not retry by itself; the operator redelivers (to a live Ship).
    t.world.github.setWebhookUrl(t.world.app.id, `${t.config.publicUrl}/api/github/webhooks`);
    const again = await t.world.github.redeliver(delivery?.guid as string);
    expect(again.statusCode).toBe(200);
    const twice = await t.world.github.redeliver(delivery?.guid as string);
    expect(twice.statusCode).toBe(200);
    expect(await runsOf(comment.id)).toHaveLength(1);
  });

  it("on SIGTERM mid-run, stops within the grace period, marks the run interrupted and kills its sandbox", async () => {
    for (const ship of processes) ship.child.kill("SIGKILL"); // no other worker takes the run
    await Promise.all(processes.map((ship) => ship.exited));
    const worker = await startProcess({ SHIP_ROLE: "worker", SHIP_SHUTDOWN_GRACE: "2s" });
    const { issue, comment } = askShip(t, "/ship --model sim/stall add a README");
    const runId = await waitFor("the agent to be working", async () => {
      const id = (await runsOf(comment.id))[0]?.id;
      const run = id ? await getRun(t.db.pool, id) : undefined;
      return run?.phase === "agent" && run.sandboxId ? run.id : undefined;
    });
    const sentAt = Date.now();
    worker.ship.child.kill("SIGTERM");
    const { code } = await worker.ship.exited;
    const tookMs = Date.now() - sentAt;
    figures.push(`SIGTERM -> exit ${tookMs} ms (grace 2 s)`);
    expect(code).toBe(0);
    expect(tookMs).toBeLessThan(2_000 + 8_000);

    const run = await getRun(t.db.pool, runId);
    expect(run?.state).toBe("failed");
    expect(run?.errorCategory).toBe("interrupted");
    expect(run?.errorMessage).toContain("/ship retry");
    expect(run?.sandboxId).toBeNull();
    const left = (await listRunSandboxes(t.config.sandbox, t.world.app.id)).filter(
      (sandbox) => sandbox.runId === runId,
    );
    expect(left).toEqual([]);

    // The next worker shows the interruption where the person looks.
    await startProcess({ SHIP_ROLE: "worker" });
    const status = await waitFor("the status comment to show the interruption", () =>
      t.world.github
        .issueComments(t.world.sample.repository, issue.number)
        .find((c) => c.body.includes(`<!-- ship:run:${runId} -->`) && c.body.includes("❌")),
    );
    expect(status.body).toContain("/ship retry");
  });
});
