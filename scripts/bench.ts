// `npm run bench`: Ship's latency on the local world (scripted model answering at once).
// Starts the world in this process and Ship as its own process (`npm start`, embedded
// Postgres), then measures webhook acknowledgement at 20/s and 100/s and first feedback
// over 20 runs, samples Ship's peak RSS, prints a Markdown table and saves the result as
// JSON under bench/results/. `--compare <file>` adds each figure's ratio to that earlier
// result; `--quick` runs shorter (5 s per rate, 5 runs) to try the bench itself.
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { pino } from "pino";
import type { BenchFigure, BenchResult } from "../src/bench/bench-result.js";
import { measureConcurrentRuns } from "../src/bench/measure-concurrent-runs.js";
import { measureFirstFeedback } from "../src/bench/measure-first-feedback.js";
import { percentile } from "../src/bench/percentile.js";
import { renderBenchTable } from "../src/bench/render-bench-table.js";
import { sampleRss } from "../src/bench/sample-rss.js";
import { sendDeliveries } from "../src/bench/send-deliveries.js";
import { findFreePort } from "../src/net/find-free-port.js";
import { captureCommentDelivery } from "../src/sim/capture-comment-delivery.js";
import { connectShipToWorld } from "../src/sim/connect-ship-to-world.js";
import { startLocalWorld } from "../src/sim/start-local-world.js";
import { startShipProcess } from "../src/sim/start-ship-process.js";

const { values } = parseArgs({
  options: { compare: { type: "string" }, quick: { type: "boolean", default: false } },
});
const ackSeconds = values.quick ? 5 : 30;
const feedbackRuns = values.quick ? 5 : 20;

const work = await mkdtemp(path.join(os.tmpdir(), "ship-bench-"));
// As root, the embedded Postgres runs as its own user, who must be able to pass through.
await chmod(work, 0o711);
const world = await startLocalWorld({
  dataDir: path.join(work, "world"),
  webhookUrl: "http://127.0.0.1:9/not-yet",
  log: pino({ level: "warn" }),
});
const port = await findFreePort();
const shipUrl = `http://127.0.0.1:${port}`;
const ship = startShipProcess({
  ...world.shipEnv,
  SHIP_DATA_DIR: path.join(work, "ship"),
  SHIP_PUBLIC_URL: shipUrl,
  // The stand-in has no secondary rate limits; GitHub.com needs this on.
  SHIP_GITHUB_THROTTLE: "off",
  SHIP_WORKER_CONCURRENCY: "20",
  HOST: "127.0.0.1",
  PORT: String(port),
});
const figures: BenchFigure[] = [];
const notes: string[] = [
  "Local world: fake GitHub, E2B stand-in and scripted model in the bench process; Ship in its own process (npm start, tsx), embedded Postgres.",
  "SHIP_GITHUB_THROTTLE=off (the stand-in has no secondary limits).",
];
try {
  await ship.ready;
  await connectShipToWorld(world, shipUrl);
  if (!ship.child.pid) throw new Error("Ship has no pid");
  const rss = sampleRss(ship.child.pid);

  // 1. Webhook acknowledgement: comments that do not address Ship (recorded, ignored).
  const { delivery: sample } = await captureCommentDelivery(world, {
    body: "Thanks!",
    webhookUrl: `${shipUrl}/api/github/webhooks`,
  });
  let nextCommentId = 20_000_000;
  for (const perSecond of [20, 100]) {
    const sent = await sendDeliveries({
      url: `${shipUrl}/api/github/webhooks`,
      secret: "sim-webhook-secret",
      payload: sample.payload as { comment: Record<string, unknown> },
      perSecond,
      seconds: ackSeconds,
      firstCommentId: nextCommentId,
      body: (i) => `Thanks! Looks good (${i}).`,
    });
    nextCommentId += perSecond * ackSeconds;
    if (sent.failures.length > 0)
      notes.push(`${perSecond}/s: ${sent.failures.length} failed deliveries`);
    figures.push(
      {
        key: `ack.${perSecond}.p50_ms`,
        label: `Webhook acknowledgement at ${perSecond}/s, p50`,
        value: percentile(sent.latencies, 50),
        unit: "ms",
      },
      {
        key: `ack.${perSecond}.p99_ms`,
        label: `Webhook acknowledgement at ${perSecond}/s, p99`,
        value: percentile(sent.latencies, 99),
        unit: "ms",
        ...(perSecond === 100 ? { target: { op: "<=" as const, value: 50 } } : {}),
      },
    );
  }

  rss.stop();
  figures.push({
    key: "ship.peak_rss_mb",
    label: "Ship process peak RSS (acknowledgement)",
    value: rss.peakMb(),
    unit: "MB",
  });

  // 2. Scale on one process: 1, 5 and 20 runs at once (SHIP_WORKER_CONCURRENCY=20).
  for (const count of values.quick ? [1, 5] : [1, 5, 20]) {
    const burstRss = sampleRss(ship.child.pid);
    const burst = await measureConcurrentRuns({
      world,
      count,
      task: "add a README",
      timeoutMs: 300_000,
    });
    burstRss.stop();
    if (burst.failed > 0) {
      notes.push(
        `${count} at once: ${burst.failed} run(s) failed or did not end: ${JSON.stringify(burst.failures)}`,
      );
    }
    figures.push(
      {
        key: `scale.1proc.${count}.runs_per_min`,
        label: `${count} run(s) at once, one process: runs per minute`,
        value: burst.runsPerMinute,
        unit: "runs/min",
      },
      {
        key: `scale.1proc.${count}.p95_s`,
        label: `${count} run(s) at once, one process: end-to-end p95`,
        value: percentile(burst.endToEnd, 95),
        unit: "s",
      },
      {
        key: `scale.1proc.${count}.peak_rss_mb`,
        label: `${count} run(s) at once, one process: Ship peak RSS`,
        value: burstRss.peakMb(),
        unit: "MB",
        ...(count === 20 ? { target: { op: "<=" as const, value: 400 } } : {}),
      },
    );
  }
  // 3. First feedback, last (its runs may still be going when the bench ends):
  // comment -> 👀, and comment -> first status comment.
  const feedback = await measureFirstFeedback({
    world,
    count: feedbackRuns,
    spacingMs: 1_000,
    task: "add a README",
  });
  const reaction = feedback.map((f) => f.reactionMs / 1000);
  const status = feedback.map((f) => f.statusCommentMs / 1000);
  figures.push(
    {
      key: "feedback.reaction.p50_s",
      label: `Comment -> 👀, p50 of ${feedbackRuns}`,
      value: percentile(reaction, 50),
      unit: "s",
      target: { op: "<=", value: 0.5 },
    },
    {
      key: "feedback.reaction.p95_s",
      label: `Comment -> 👀, p95 of ${feedbackRuns}`,
      value: percentile(reaction, 95),
      unit: "s",
    },
    {
      key: "feedback.status.p50_s",
      label: `Comment -> first status comment, p50 of ${feedbackRuns}`,
      value: percentile(status, 50),
      unit: "s",
      target: { op: "<=", value: 0.5 },
    },
    {
      key: "feedback.status.p95_s",
      label: `Comment -> first status comment, p95 of ${feedbackRuns}`,
      value: percentile(status, 95),
      unit: "s",
    },
  );
  notes.push(
    "Not yet measured: overhead split by phase against a bare-script floor, and scale on two processes (next session).",
  );

  const result: BenchResult = {
    startedAt: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
    },
    figures,
    notes,
  };
  const previous = values.compare
    ? (JSON.parse(await readFile(values.compare, "utf8")) as BenchResult)
    : undefined;
  const out = path.resolve("bench/results", `${result.startedAt.replace(/[:.]/g, "-")}.json`);
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(
    `${renderBenchTable(result, previous)}\n\nSaved ${path.relative(process.cwd(), out)}\n`,
  );
} finally {
  ship.child.kill("SIGTERM");
  await ship.exited;
  await world.stop();
  await rm(work, { recursive: true, force: true });
}
