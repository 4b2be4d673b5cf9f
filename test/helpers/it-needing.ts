import { it } from "@jest/globals";
import { missingRequirement, type Requirement } from "./missing-requirement.js";

/**
 * `it`, unless the machine lacks `requirement`: then the test is skipped and a line in
 * the output names it and says why, so a skip is never silent.
 */
export function itNeeding(
  requirement: Requirement,
  name: string,
  body: () => Promise<void>,
  timeoutMs?: number,
): void {
  const missing = missingRequirement(requirement);
  if (!missing) {
    it(name, body, timeoutMs);
    return;
  }
  process.stderr.write(`SKIPPED "${name}": needs ${requirement}; ${missing}\n`);
  it.skip(`${name} [skipped: ${missing}]`, body);
}
