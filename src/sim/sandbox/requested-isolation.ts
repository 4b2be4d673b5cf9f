import type { IsolationMode } from "./resolve-isolation.js";

const modes = ["auto", "bwrap", "none"] as const;

/**
 * The isolation `SIM_SANDBOX_ISOLATION` asks for (`auto` when unset): `none` forces the
 * unisolated path a machine without bubblewrap takes, `bwrap` insists on isolation.
 * Anything else is refused, so a typo never quietly runs untrusted code unconfined.
 */
export function requestedIsolation(
  env: Readonly<Record<string, string | undefined>>,
): "auto" | IsolationMode {
  const value = env.SIM_SANDBOX_ISOLATION?.trim();
  if (value === undefined || value === "") return "auto";
  const mode = modes.find((candidate) => candidate === value);
  if (!mode) {
    throw new Error(`SIM_SANDBOX_ISOLATION is "${value}"; expected one of ${modes.join(", ")}`);
  }
  return mode;
}
