// `npm run bench`: Ship's latency, overhead and scale on the local world (scripted model
// answering at once). Starts the world and a Postgres in this process's care and Ship as
// its own process (`npm start`), then measures, in order:
//   0. parsing the worst-case comments (in this process: no world needed);
//   1. webhook acknowledgement at 20/s and 100/s;
//   2. one run at a time (20 of them): first feedback (👀, status comment) and overhead,
//      split by step, against a bare script doing the same work;
//   3. scale: 1, 5 and 20 runs at once on one process, then on two sharing the queue;
//   4. first feedback again, with 20 runs started 1 s apart (several running at once).
// Prints a Markdown table and saves the result as JSON under bench/results/.
// `--compare <file>` adds each figure's ratio to an earlier result; `--quick` runs short.
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { pino } from "pino";
import type { BenchFigure, BenchResult } from "../src/bench/bench-result.js";
import { measureConcurrentRuns } from "../src/bench/measure-concurrent-runs.js";
import { startCpuMeter } from "../src/bench/measure-cpu.js";
import { measureFirstFeedback } from "../src/bench/measure-first-feedback.js";
import { type FloorRun, measureFloor } from "../src/bench/measure-floor.js";
import { measureOverhead, type TimedRun } from "../src/bench/measure-overhead.js";
import { measureParseWorstCase } from "../src/bench/measure-parse-worst-case.js";
import { percentile } from "../src/bench/percentile.js";
import { renderBenchTable } from "../src/bench/render-bench-table.js";
import { sampleRss } from "../src/bench/sample-rss.js";
import { sendDeliveries } from "../src/bench/send-deliveries.js";
import { readConfig } from "../src/config/read-config.js";
import { startEmbeddedPostgres } from "../src/db/start-embedded-postgres.js";
import { findFreePort } from "../src/net/find-free-port.js";
import { captureCommentDelivery } from "../src/sim/capture-comment-delivery.js";
import { connectShipToWorld } from "../src/sim/connect-ship-to-world.js";
import { sampleRepository } from "../src/sim/sample-repository.js";
import { startLocalWorld } from "../src/sim/start-local-world.js";
import { type ShipProcess, startShipProcess } from "../src/sim/start-ship-process.js";

const { values } = parseArgs({
  options: { compare: { type: "string" }, quick: { type: "boolean", default: false } },
});
const ackSeconds = values.quick ? 5 : 30;
const feedbackRuns = values.quick ? 5 : 20;
const sequentialRuns = values.quick ? 3 : 20;
const bursts = values.quick ? [1, 5] : [1, 5, 20];
const task = "add a README";

const log = pino({ level: "warn" });
const work = await mkdtemp(path.join(os.tmpdir(), "ship-bench-"));
// As root, the embedded Postgres runs as its own user, who must be able to pass through.
await chmod(work, 0o711);
const world = await startLocalWorld({
  dataDir: path.join(work, "world"),
  webhookUrl: "http://127.0.0.1:9/not-yet",
  log,
});
// One database for every Ship process, as N replicas in production share one.
const database = await startEmbeddedPostgres(path.join(work, "db"), log);
const ships: ShipProcess[] = [];
const startShip = async (role: "all" | "worker", publicUrl?: string) => {
  const port = await findFreePort();
  const ship = startShipProcess({
    ...world.shipEnv,
    DATABASE_URL: database.url,
    SHIP_ROLE: role,
    SHIP_DATA_DIR: path.join(work, `ship-${ships.length}`),
    // Where people and sandboxes reach Ship: its web process (workers serve no pages
    // and no model gateway).
    SHIP_PUBLIC_URL: publicUrl ?? `http://127.0.0.1:${port}`,
    // The stand-in has no secondary rate limits; GitHub.com needs this on.
    SHIP_GITHUB_THROTTLE: "off",
    SHIP_WORKER_CONCURRENCY: "20",
    // Every sandbox of the stand-in runs on this machine's cores, so 20 OpenCode servers
    // starting at once share 2 CPUs; E2B gives each sandbox its own.
    SHIP_AGENT_START_TIMEOUT: "180s",
    HOST: "127.0.0.1",
    PORT: String(port),
  });
  ships.push(ship);
  await ship.ready;
  if (!ship.child.pid) throw new Error("Ship has no pid");
  return { ship, pid: ship.child.pid, url: `http://127.0.0.1:${port}` };
};

const figures: BenchFigure[] = [];
const figure = (
  key: string,
  label: string,
  value: number,
  unit: BenchFigure["unit"],
  target?: BenchFigure["target"],
) => figures.push({ key, label, value, unit, ...(target ? { target } : {}) });
const notes: string[] = [
  "Local world (fake GitHub, E2B stand-in, scripted model) in the bench process; each Ship its own process (npm start, tsx); one embedded Postgres shared by them.",
  "SHIP_GITHUB_THROTTLE=off (the stand-in has no secondary limits); SHIP_AGENT_START_TIMEOUT=180s (all stand-in sandboxes share this machine's CPUs).",
];
try {
  // 0. The longest one comment can hold Ship's event loop while it is parsed.
  const parse = measureParseWorstCase();
  figure(
    "parse.worst_case_ms",
    `Parse a worst-case 65,536-character comment, median of 5, slowest case (${parse.name})`,
    parse.ms,
    "ms",
    { op: "<=", value: 50 },
  );

  const first = await startShip("all");
  await connectShipToWorld(world, first.url);

  // 1. Webhook acknowledgement: comments that do not address Ship (recorded, ignored).
  const ackRss = sampleRss(first.pid);
  const { delivery: sample } = await captureCommentDelivery(world, {
    body: "Thanks!",
    webhookUrl: `${first.url}/api/github/webhooks`,
  });
  let nextCommentId = 20_000_000;
  for (const perSecond of [20, 100]) {
    const sent = await sendDeliveries({
      url: `${first.url}/api/github/webhooks`,
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
    const label = `Webhook acknowledgement at ${perSecond}/s`;
    figure(`ack.${perSecond}.p50_ms`, `${label}, p50`, percentile(sent.latencies, 50), "ms");
    figure(
      `ack.${perSecond}.p99_ms`,
      `${label}, p99`,
      percentile(sent.latencies, 99),
      "ms",
      perSecond === 100 ? { op: "<=", value: 50 } : undefined,
    );
    figure(`ack.${perSecond}.max_ms`, `${label}, max`, Math.max(...sent.latencies), "ms");
  }
  ackRss.stop();
  figure("ship.peak_rss_mb", "Ship peak RSS (acknowledgement)", ackRss.peakMb(), "MB");

  // 2. Ship's runs one at a time, each followed by the same work done by a bare script
  // (alternating, so both see the same machine as it warms up and its stand-ins fill).
  const config = readConfig(world.shipEnv);
  const shipRuns: TimedRun[] = [];
  const floors: FloorRun[] = [];
  for (let i = 0; i < sequentialRuns; i++) {
    shipRuns.push(...(await measureOverhead({ world, shipUrl: first.url, count: 1, task })));
    floors.push(
      ...(await measureFloor({
        config,
        repository: world.sample.repository,
        base: sampleRepository.defaultBranch,
        token: world.github.createInstallationToken(world.sample.installationId),
        count: 1,
        task,
      })),
    );
  }
  const median = (values: number[]) => percentile(values, 50);
  const shipEnd = median(shipRuns.map((run) => run.toEnd));
  const shipPr = median(shipRuns.map((run) => run.toPullRequest));
  const floor = median(floors.map((run) => run.total));
  const half = { op: "<=" as const, value: 0.5 };
  const quiet = `one run at a time, ${sequentialRuns} runs`;
  const reactions = shipRuns.map((run) => run.toReaction);
  const statuses = shipRuns.map((run) => run.toStatusComment);
  figure(
    "feedback.reaction.p50_s",
    `Comment -> 👀, p50, ${quiet}`,
    percentile(reactions, 50),
    "s",
    half,
  );
  figure("feedback.reaction.p95_s", `Comment -> 👀, p95, ${quiet}`, percentile(reactions, 95), "s");
  figure(
    "feedback.status.p50_s",
    `Comment -> first status comment, p50, ${quiet}`,
    percentile(statuses, 50),
    "s",
    half,
  );
  figure(
    "feedback.status.p95_s",
    `Comment -> first status comment, p95, ${quiet}`,
    percentile(statuses, 95),
    "s",
  );
  figure("overhead.ship_to_pr_s", `Comment -> draft PR, median of ${sequentialRuns}`, shipPr, "s");
  figure(
    "overhead.ship_to_end_s",
    `Comment -> ✅ status comment, median of ${sequentialRuns}`,
    shipEnd,
    "s",
  );
  figure("overhead.floor_s", `Bare script (floor), median of ${sequentialRuns}`, floor, "s");
  figure("overhead.ratio", "Overhead ratio: Ship comment -> ✅ / floor", shipEnd / floor, "ratio", {
    op: "<=",
    value: 1.3,
  });
  figure(
    "overhead.ratio_pr",
    "Overhead ratio: Ship comment -> draft PR / floor",
    shipPr / floor,
    "ratio",
  );
  // What Ship adds around the agent: Ship's end-to-end with its OpenCode start and agent
  // time replaced by the floor's. On E2B the agent runs on a machine of its own; here it
  // shares 2 cores with Ship, its database and the stand-ins, which slows it by a
  // varying amount from one run to the next.
  const agentTime = (steps: Record<string, number>) =>
    (steps.opencode_start ?? 0) + (steps.agent ?? 0);
  const floorAgent = median(floors.map((run) => agentTime(run.steps)));
  const around = median(shipRuns.map((run) => run.toEnd - agentTime(run.steps)));
  figure(
    "overhead.ratio_around_agent",
    "Overhead ratio, the agent's own time taken from the floor: (Ship around the agent + floor agent) / floor",
    (around + floorAgent) / floor,
    "ratio",
  );
  figure("overhead.ship_around_agent_s", "Ship's time around the agent, median", around, "s");
  figure(
    "overhead.floor_around_agent_s",
    "Floor's time around the agent, median",
    median(floors.map((run) => run.total - agentTime(run.steps))),
    "s",
  );
  const shipSteps = [...new Set(shipRuns.flatMap((run) => Object.keys(run.steps)))];
  for (const step of shipSteps) {
    figure(
      `overhead.ship.${step}_s`,
      `Ship step ${step}, median`,
      median(shipRuns.map((run) => run.steps[step] ?? 0)),
      "s",
    );
  }
  for (const step of Object.keys(floors[0]?.steps ?? {})) {
    figure(
      `overhead.floor.${step}_s`,
      `Floor step ${step}, median`,
      median(floors.map((run) => run.steps[step] ?? 0)),
      "s",
    );
  }

  // 3. Scale: bursts of simultaneous runs on one process, then on two sharing the queue.
  const measureBursts = async (processes: Array<{ pid: number }>, key: string, words: string) => {
    for (const count of bursts) {
      const rss = processes.map((p) => sampleRss(p.pid));
      const cpu = startCpuMeter(processes.map((p) => p.pid));
      const burst = await measureConcurrentRuns({ world, count, task, timeoutMs: 600_000 });
      const used = cpu();
      for (const r of rss) r.stop();
      if (burst.failed > 0) {
        notes.push(
          `${count} at once, ${words}: ${burst.failed} run(s) failed or did not end: ${JSON.stringify(burst.failures)}`,
        );
      }
      const label = `${count} run(s) at once, ${words}`;
      figure(
        `scale.${key}.${count}.runs_per_min`,
        `${label}: runs per minute`,
        burst.runsPerMinute,
        "runs/min",
      );
      figure(
        `scale.${key}.${count}.p95_s`,
        `${label}: end-to-end p95`,
        percentile(burst.endToEnd, 95),
        "s",
      );
      figure(
        `scale.${key}.${count}.peak_rss_mb`,
        `${label}: Ship peak RSS (largest process)`,
        Math.max(...rss.map((r) => r.peakMb())),
        "MB",
        count === 20 ? { op: "<=", value: 400 } : undefined,
      );
      figure(
        `scale.${key}.${count}.machine_busy_pct`,
        `${label}: machine CPU busy`,
        (100 * used.machineSeconds) / used.capacitySeconds,
        "%",
      );
      figure(
        `scale.${key}.${count}.ship_cpu_pct`,
        `${label}: Ship's share of the busy CPU`,
        (100 * used.processSeconds) / used.machineSeconds,
        "%",
      );
    }
  };
  await measureBursts([first], "1proc", "one process");
  const second = await startShip("worker", first.url);
  await measureBursts([first, second], "2proc", "two processes");

  // 4. First feedback again, last (its runs may still be going when the bench ends):
  // runs started 1 s apart, so several share the machine with their stand-in sandboxes.
  const feedback = await measureFirstFeedback({
    world,
    count: feedbackRuns,
    spacingMs: 1_000,
    task,
  });
  const loaded = `${feedbackRuns} runs started 1 s apart`;
  const reaction = feedback.map((f) => f.reactionMs / 1000);
  const status = feedback.map((f) => f.statusCommentMs / 1000);
  figure(
    "feedback.loaded.reaction.p50_s",
    `Comment -> 👀, p50, ${loaded}`,
    percentile(reaction, 50),
    "s",
  );
  figure(
    "feedback.loaded.reaction.p95_s",
    `Comment -> 👀, p95, ${loaded}`,
    percentile(reaction, 95),
    "s",
  );
  figure(
    "feedback.loaded.status.p50_s",
    `Comment -> first status comment, p50, ${loaded}`,
    percentile(status, 50),
    "s",
  );
  figure(
    "feedback.loaded.status.p95_s",
    `Comment -> first status comment, p95, ${loaded}`,
    percentile(status, 95),
    "s",
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
  for (const ship of ships) ship.child.kill("SIGTERM");
  await Promise.all(ships.map((ship) => ship.exited));
  await database.stop();
  await world.stop();
  await rm(work, { recursive: true, force: true });
}
