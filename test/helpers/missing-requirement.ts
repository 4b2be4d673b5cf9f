import { existsSync } from "node:fs";
import { requestedIsolation } from "../../src/sim/sandbox/requested-isolation.js";
import { resolveIsolation } from "../../src/sim/sandbox/resolve-isolation.js";

/** What some tests need from the machine, beyond `npm ci`. */
export type Requirement = "bubblewrap" | "chromium";

/** Debian's Chromium, installed by `.ci/run` (`apt-get install chromium`). */
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const isolation = await resolveIsolation(requestedIsolation(process.env));

/**
 * Why `requirement` is missing here, or undefined when it is met. Bubblewrap counts as
 * missing when the stand-in would not use it: not installed, not working, or turned off
 * with `SIM_SANDBOX_ISOLATION=none` (as one CI pass does).
 */
export function missingRequirement(requirement: Requirement): string | undefined {
  if (requirement === "bubblewrap") {
    if (isolation === "bwrap") return undefined;
    return process.env.SIM_SANDBOX_ISOLATION === "none"
      ? "SIM_SANDBOX_ISOLATION=none turns sandbox isolation off"
      : "bubblewrap is not installed or does not work here (apt-get install bubblewrap)";
  }
  return existsSync(chromiumPath)
    ? undefined
    : `no Chromium at ${chromiumPath} (apt-get install chromium)`;
}
