import type { IsolationMode } from "./resolve-isolation.js";

/**
 * One line for people starting the local world: how its sandboxes are confined, and
 * without bubblewrap what that means for code they run.
 */
export function describeIsolation(mode: IsolationMode): string {
  if (mode === "bwrap") {
    return "Sandboxes: isolated with bubblewrap (own user, pid and mount namespaces; only the template's files).";
  }
  return "Sandboxes: NOT isolated (no bubblewrap here, or SIM_SANDBOX_ISOLATION=none): the agent's commands run as you, on your machine, with your files and processes. Fine for the sample; install bubblewrap before running code you do not trust.";
}
