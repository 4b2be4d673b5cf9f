// `npm run sim`: the local world (GitHub, E2B and a model, stood in) with a sample
// repository, running until Ctrl-C. Writes .ship/sim.env with every setting that points
// Ship at it; `set -a; . .ship/sim.env; set +a; npm start` then runs Ship against it.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { pino } from "pino";
import { connectShipToWorld } from "../src/sim/connect-ship-to-world.js";
import { formatEnvFile } from "../src/sim/format-env-file.js";
import { describeIsolation } from "../src/sim/sandbox/describe-isolation.js";
import { startLocalWorld } from "../src/sim/start-local-world.js";

const { values } = parseArgs({
  options: {
    "webhook-url": {
      type: "string",
      default: process.env.SIM_WEBHOOK_URL ?? "http://127.0.0.1:3000/api/github/webhooks",
    },
    "data-dir": { type: "string", default: ".ship" },
  },
});
const dataDir = path.resolve(values["data-dir"]);
const log = pino({ level: process.env.LOG_LEVEL ?? "warn" });
const world = await startLocalWorld({ dataDir, webhookUrl: values["webhook-url"], log });
const shipUrl = new URL(values["webhook-url"]).origin;
const envFile = path.join(dataDir, "sim.env");
await writeFile(
  envFile,
  formatEnvFile(
    { ...world.simEnv, SHIP_PUBLIC_URL: shipUrl, PORT: new URL(shipUrl).port || "80" },
    "# Written by `npm run sim`: settings that point Ship at the local world.\n",
  ),
  { mode: 0o600 },
);

const { sample } = world;
process.stdout.write(
  [
    "The local world is running:",
    `  GitHub  ${world.github.url} (repository ${sample.repository}, issue #${sample.issueNumber})`,
    `  E2B     ${world.sandbox.apiUrl} (isolation: ${world.sandbox.isolation})`,
    `  ${describeIsolation(world.sandbox.isolation)}`,
    `  Model   ${world.model.baseUrl}`,
    `  Users   ${sample.installer} installed Ship; ${sample.writer.login} can write; ${sample.reader.login} can read`,
    `  Webhooks go to ${values["webhook-url"]}`,
    `Settings: ${envFile}`,
    "Ready. Ctrl-C stops everything.",
    "",
  ].join("\n"),
);

// When Ship comes up, do what installing it on GitHub would have done: redeliver the
// installation webhook it missed, and have the installer and the writer authorize Ship.
const connector = setInterval(async () => {
  try {
    if (!(await fetch(`${shipUrl}/healthz`)).ok) return;
    clearInterval(connector);
    await connectShipToWorld(world, shipUrl);
    process.stdout.write(
      `Ship answered at ${shipUrl}: it knows the installation, and ${sample.installer} and ${sample.writer.login} authorized it.\n`,
    );
  } catch {
    // Not up yet.
  }
}, 1_000);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  clearInterval(connector);
  await world.stop();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
