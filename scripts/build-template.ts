// `npm run template:build`: builds Ship's E2B sandbox template (src/sandbox/ship-template.ts)
// on E2B with E2B_API_KEY and prints the template to set as SHIP_SANDBOX_TEMPLATE.
// `--name <name>` (default ship-opencode); `--dockerfile` only prints the equivalent
// Dockerfile, offline.
import { parseArgs } from "node:util";
import { defaultBuildLogger, Template } from "e2b";
import { shipTemplate } from "../src/sandbox/ship-template.js";

const { values } = parseArgs({
  options: {
    name: { type: "string", default: "ship-opencode" },
    dockerfile: { type: "boolean", default: false },
    cpus: { type: "string", default: "2" },
    memory: { type: "string", default: "2048" },
  },
});

if (values.dockerfile) {
  process.stdout.write(`${Template.toDockerfile(shipTemplate())}\n`);
} else {
  if (!process.env.E2B_API_KEY) {
    process.stderr.write("E2B_API_KEY is not set: get one at https://e2b.dev/dashboard\n");
    process.exit(78);
  }
  const info = await Template.build(shipTemplate(), values.name, {
    cpuCount: Number(values.cpus),
    memoryMB: Number(values.memory),
    onBuildLogs: defaultBuildLogger(),
  });
  process.stdout.write(
    `\nBuilt ${values.name} (template ${info.templateId}).\nSet SHIP_SANDBOX_TEMPLATE=${values.name}\n`,
  );
}
