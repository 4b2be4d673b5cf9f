import { describe } from "@jest/globals";
import { missingRequirement, type Requirement } from "./missing-requirement.js";

/**
 * `describe`, unless the machine lacks `requirement`: then the block is skipped and a
 * line in the output names it and says why, so a skip is never silent.
 */
export function describeNeeding(requirement: Requirement, name: string, body: () => void): void {
  const missing = missingRequirement(requirement);
  if (!missing) {
    describe(name, body);
    return;
  }
  process.stderr.write(`SKIPPED "${name}": needs ${requirement}; ${missing}\n`);
  describe.skip(`${name} [skipped: ${missing}]`, body);
}
