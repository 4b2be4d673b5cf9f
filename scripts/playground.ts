// `npm run playground -- "add a README"`: the local world and Ship together, no accounts.
// Posts `/ship <task>` as the sample collaborator, prints the status comment each time it
// changes, and ends by printing the draft PR. `--repo <path>` starts from a copy of a
// local git repository instead of the sample project. `--keep` keeps the local world and
// Ship up after the run, so the run page's link works, until Ctrl-C. With SHIP_MODEL (and the
// provider's settings in SHIP_PROVIDERS) set, that model is used instead of the script.
import { execFile } from "node:child_process";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs, promisify } from "node:util";
import { pino } from "pino";
import { readConfig } from "../src/config/read-config.js";
import { findFreePort } from "../src/net/find-free-port.js";
import { getRun } from "../src/runs/get-run.js";
import { connectShipToWorld } from "../src/sim/connect-ship-to-world.js";
import { describeIsolation } from "../src/sim/sandbox/describe-isolation.js";
import { startLocalWorld } from "../src/sim/start-local-world.js";
import { startShip } from "../src/start-ship.js";

const run = promisify(execFile);
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    repo: { type: "string" },
    timeout: { type: "string", default: "10m" },
    keep: { type: "boolean", default: false },
  },
});
const task = positionals.join(" ").trim() || "add a README";

/** The tracked files of a local repository at HEAD (text files; binaries are skipped). */
async function filesOf(repo: string): Promise<Record<string, string>> {
  const { stdout } = await run("git", ["-C", repo, "ls-files", "-z"], { maxBuffer: 64 << 20 });
  const files: Record<string, string> = {};
  for (const file of stdout.split("\0").filter(Boolean)) {
    const { stdout: content } = await run("git", ["-C", repo, "show", `HEAD:${file}`], {
      maxBuffer: 64 << 20,
      encoding: "buffer",
    });
    if (!content.includes(0)) files[file] = content.toString("utf8");
  }
  return files;
}

const work = await mkdtemp(path.join(tmpdir(), "ship-playground-"));
// As root, the embedded Postgres runs as its own user, who must be able to pass through.
await chmod(work, 0o711);
const log = pino({ level: process.env.LOG_LEVEL ?? "warn" });
const world = await startLocalWorld({
  dataDir: path.join(work, "world"),
  webhookUrl: "http://127.0.0.1:9/not-yet",
  log,
  ...(values.repo ? { files: await filesOf(path.resolve(values.repo)) } : {}),
});
const port = await findFreePort();
const ownModel = process.env.SHIP_MODEL
  ? { SHIP_MODEL: process.env.SHIP_MODEL, SHIP_PROVIDERS: process.env.SHIP_PROVIDERS ?? "" }
  : {};
const config = readConfig(
  {
    ...world.shipEnv,
    ...ownModel,
    SHIP_DATA_DIR: path.join(work, "ship"),
    HOST: "127.0.0.1",
    PORT: String(port),
    SHIP_PUBLIC_URL: `http://127.0.0.1:${port}`,
    SHIP_RUN_TIMEOUT: values.timeout,
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
  },
  work,
);
const ship = await startShip({ config, app: config.app as NonNullable<typeof config.app>, log });
// As installing Ship on GitHub would: webhooks to Ship; the installer and the writer authorize it.
await connectShipToWorld(world, config.publicUrl);

const { repository, issueNumber, writer } = world.sample;
const askedAt = Date.now();
const comment = world.github.createIssueComment({
  repository,
  issueNumber,
  author: writer.login,
  body: `/ship ${task}`,
});
process.stdout.write(`${describeIsolation(world.sandbox.isolation)}\n`);
process.stdout.write(`@${writer.login} on ${repository}#${issueNumber}: /ship ${task}\n\n`);

let exitCode = 1;
try {
  let shown = "";
  for (;;) {
    const status = world.github
      .issueComments(repository, issueNumber)
      .find((c) => c.id !== comment.id && c.body.includes("<!-- ship:run:"));
    if (status && status.body !== shown) {
      shown = status.body;
      const seconds = ((Date.now() - askedAt) / 1000).toFixed(1);
      process.stdout.write(
        `── status comment at +${seconds}s ──\n${shown.replace(/<!--.*?-->\n?/g, "")}\n\n`,
      );
    }
    const runId = Number(/<!-- ship:run:(\d+) -->/.exec(shown)?.[1]);
    const current = runId ? await getRun(ship.pool, runId) : undefined;
    if (
      current &&
      current.state !== "queued" &&
      current.state !== "running" &&
      shown.includes(current.state === "succeeded" ? "✅" : "❌")
    ) {
      if (current.state === "succeeded" && current.prNumber) {
        const pr = await world.github.pullRequest(repository, current.prNumber);
        process.stdout.write(
          [
            `Draft PR #${pr.number}: ${pr.title}`,
            `  branch  ${pr.head.ref} -> ${pr.base.ref}${pr.draft ? " (draft)" : ""}`,
            `  files   ${(current.result?.filesChanged ?? []).join(", ")}`,
            `  url     ${pr.htmlUrl}`,
            "",
            "Comment -> draft PR, by phase:",
            ...(await phaseTimes(runId, askedAt)),
            "",
          ].join("\n"),
        );
        exitCode = 0;
      } else if (current.state === "succeeded") {
        process.stdout.write("The agent changed nothing, so there is no pull request.\n");
        exitCode = 0;
      }
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const runId = Number(/<!-- ship:run:(\d+) -->/.exec(shown)?.[1]);
  if (values.keep && runId) {
    // The links printed above point at this process: without --keep they die with it.
    process.stdout.write(
      `Run page: ${config.publicUrl}/runs/${runId} — press Ctrl-C to stop\n` +
        `  (sign in there as @${writer.login} through the local GitHub; all runs: ${config.publicUrl}/runs?repo=${encodeURIComponent(repository)})\n`,
    );
    await new Promise<void>((resolve) => {
      process.once("SIGINT", () => resolve());
      process.once("SIGTERM", () => resolve());
    });
    process.stdout.write("\nStopping…\n");
  }
} finally {
  await ship.stop();
  await world.stop();
  await rm(work, { recursive: true, force: true });
}
process.exit(exitCode);

async function phaseTimes(runId: number, start: number): Promise<string[]> {
  const { rows } = await ship.pool.query<{ phase: string; at: Date }>(
    "SELECT data->>'phase' AS phase, at FROM run_events WHERE run_id = $1 AND kind = 'phase' ORDER BY id",
    [runId],
  );
  const finished = (await getRun(ship.pool, runId))?.finishedAt ?? new Date();
  const marks = [
    { phase: "queued (webhook -> worker)", at: new Date(start) },
    ...rows,
    { phase: "end", at: finished },
  ];
  const lines = marks.slice(0, -1).map((mark, index) => {
    const next = marks[index + 1] as { at: Date };
    return `  ${mark.phase.padEnd(28)} ${((next.at.getTime() - mark.at.getTime()) / 1000).toFixed(2)}s`;
  });
  lines.push(`  ${"total".padEnd(28)} ${((finished.getTime() - start) / 1000).toFixed(2)}s`);
  return lines;
}
