import path from "node:path";
import type { Logger } from "pino";
import { prepareSandboxTemplate, type SandboxTemplate } from "./prepare-sandbox-template.js";
import type { IsolationMode } from "./resolve-isolation.js";
import { buildTemplateRoot } from "./templates/build-template-root.js";
import { readDebianPackages } from "./templates/read-debian-packages.js";
import { sandboxTemplateSpecs } from "./templates/sandbox-template-specs.js";

/** Where built template trees are kept between runs (hard links: little disk). */
const defaultCacheDir = path.resolve(
  import.meta.dirname,
  "../../../node_modules/.cache/ship-sim-templates",
);

/**
 * Every template the stand-in knows (`base`, `ship-opencode`, `bare`), ready for its
 * sandboxes: each one's programs (built from this machine's packages the first time),
 * and what the server shares with them. Logs what a template lacks on this machine.
 */
export async function prepareSandboxTemplates(params: {
  dir: string;
  isolation: IsolationMode;
  opencodeBinary: string | undefined;
  cacheDir?: string | undefined;
  log: Logger;
}): Promise<Map<string, SandboxTemplate>> {
  const installed = await readDebianPackages();
  const templates = new Map<string, SandboxTemplate>();
  for (const [name, spec] of Object.entries(sandboxTemplateSpecs)) {
    const root = await buildTemplateRoot({
      name,
      spec,
      installed,
      cacheDir: params.cacheDir ?? defaultCacheDir,
    });
    if (root.missing.length > 0) {
      params.log.warn(
        { template: name, missing: root.missing },
        `template ${name} lacks ${root.missing.join(", ")} here (apt-get install ${root.missing.join(" ")})`,
      );
    }
    templates.set(
      name,
      await prepareSandboxTemplate({
        dir: path.join(params.dir, name),
        isolation: params.isolation,
        root,
        opencodeBinary: spec.opencode ? params.opencodeBinary : undefined,
      }),
    );
  }
  return templates;
}
