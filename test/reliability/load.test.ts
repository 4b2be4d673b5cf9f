import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { sign } from "@octokit/webhooks-methods";
import { askShip } from "../helpers/ask-ship.js";
import { type ShipProcess, startShipProcess } from "../helpers/start-ship-process.js";
import { startTestShip, type TestShip } from "../helpers/start-test-ship.js";

/** The load: 100 signed deliveries a second for 60 s. */
const perSecond = 100;
const seconds = 60;
/** One comment in twenty asks Ship for a run (permission check, config, run, jobs). */
const shipEvery = 20;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/**
 * GitHub gives up on a delivery that is not answered within 10 s (and does not retry).
 * Alone on this machine Ship answers 100 a second with a max under 0.3 s; while the rest
 * of the suite runs beside it (2 cores), the tail grows to seconds. The test holds Ship
 * to GitHub's limit; `npm run bench` measures the latency itself.
 */
const githubTimeoutMs = 10_000;

/**
 * One Ship process (SHIP_ROLE=web, its own OS process) takes 100 signed webhook
 * deliveries a second for a minute: every one is answered 2xx before GitHub would give
 * up, and recorded (as a run or as ignored); none is lost.
 */
describe("webhook load", () => {
  let t: TestShip;
  let ship: ShipProcess;
  let url: string;

  beforeAll(async () => {
    t = await startTestShip({ SHIP_ROLE: "web" });
    ship = startShipProcess({
      ...t.world.shipEnv,
      DATABASE_URL: t.db.url,
      SHIP_ROLE: "web",
      SHIP_GITHUB_THROTTLE: "off",
      HOST: "127.0.0.1",
      PORT: "0",
    });
    url = `http://127.0.0.1:${await ship.ready}/api/github/webhooks`;
  });
  afterAll(async () => {
    ship?.child.kill("SIGTERM");
    await ship?.exited;
    await t?.stop();
  });

  it(`answers ${perSecond} deliveries a second for ${seconds} s in time, and records every one`, async () => {
    // A real issue_comment.created delivery of the fake GitHub, sent again with new ids.
    t.world.github.setWebhookUrl(t.world.app.id, "http://127.0.0.1:9/nowhere");
    const { comment } = askShip(t, "/ship add a README");
    await t.world.github.waitForDeliveries();
    const sample = t.world.github.deliveries.find(
      (d) => d.event === "issue_comment" && (d.payload.comment as { id: number }).id === comment.id,
    );
    if (!sample) throw new Error("the fake sent no webhook for the comment");
    const payload = sample.payload as { comment: { id: number; body: string } };

    const total = perSecond * seconds;
    const latencies: number[] = [];
    const failures: string[] = [];
    let commands = 0;
    const inFlight: Promise<void>[] = [];
    const start = performance.now();
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / perSecond;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      const isCommand = i % shipEvery === 0;
      if (isCommand) commands++;
      const body = JSON.stringify({
        ...payload,
        comment: {
          ...payload.comment,
          id: 10_000_000 + i,
          body: isCommand ? "/ship add a README" : `Thanks! Looks good (${i}).`,
        },
      });
      const headers = {
        "content-type": "application/json",
        "x-github-event": "issue_comment",
        "x-github-delivery": randomUUID(),
        "x-hub-signature-256": await sign("sim-webhook-secret", body),
      };
      const sentAt = performance.now();
      inFlight.push(
        fetch(url, { method: "POST", headers, body })
          .then(async (response) => {
            await response.arrayBuffer();
            latencies.push(performance.now() - sentAt);
            if (response.status < 200 || response.status > 299) {
              failures.push(`${response.status}`);
            }
          })
          .catch((error: Error) => {
            failures.push(error.message);
          }),
      );
    }
    await Promise.all(inFlight);
    const elapsed = (performance.now() - start) / 1000;

    const sorted = [...latencies].sort((a, b) => a - b);
    const figures = {
      sent: total,
      rate: Math.round(total / elapsed),
      p50: Math.round(percentile(sorted, 50)),
      p99: Math.round(percentile(sorted, 99)),
      max: Math.round(sorted.at(-1) ?? Number.NaN),
    };
    process.stdout.write(
      `webhook load: ${figures.sent} deliveries at ${figures.rate}/s; reply p50 ${figures.p50} ms, p99 ${figures.p99} ms, max ${figures.max} ms\n`,
    );
    expect(failures).toEqual([]);
    expect(latencies).toHaveLength(total);
    expect(figures.max).toBeLessThan(githubTimeoutMs);

    const { rows } = await t.db.pool.query<{ outcome: string; n: number }>(
      `SELECT outcome, count(*)::int AS n FROM deliveries
       WHERE event = 'issue_comment.created' AND id <> $1 GROUP BY outcome ORDER BY outcome`,
      [sample.guid],
    );
    expect(rows).toEqual([
      { outcome: "ignored", n: total - commands },
      { outcome: "run", n: commands },
    ]);
    const runs = await t.db.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM runs WHERE (request->>'commentId')::bigint >= 10000000",
    );
    expect(runs.rows[0]?.n).toBe(commands);
  }, 180_000);
});
