import type { Sandbox } from "e2b";
import { RunError } from "../runs/run-error.js";
import { opencodeVersion } from "../sandbox/opencode-version.js";
import { runCommand } from "../sandbox/run-command.js";

/**
 * Where Ship installs OpenCode in a sandbox whose template lacks it, relative to the
 * sandbox user's home. `startOpencodeServer` looks there too.
 */
export const installedOpencodeDir = ".ship-opencode";

/**
 * Installs OpenCode at Ship's pinned version into `~/.ship-opencode` with the sandbox's
 * own npm (from the npm registry, so the sandbox needs network access; the system's CA
 * certificates are trusted, as curl and git trust them). npm may skip
 * the package's install script, which puts the platform's binary in place: it is run
 * by hand when `opencode --version` does not answer. Throws a `RunError` of category
 * `agent_start` (retryable: a download can fail) saying to build Ship's template.
 */
export async function installOpencode(sandbox: Pick<Sandbox, "commands">): Promise<void> {
  const prefix = `"$HOME/${installedOpencodeDir}"`;
  const script = [
    "set -e",
    `command -v npm >/dev/null 2>&1 || { echo "the sandbox has no npm to install OpenCode with" >&2; exit 127; }`,
    // Trust the system's certificates too, as curl and git do (a sandbox behind a
    // TLS-inspecting proxy has its certificate there, npm's own list lacks it).
    `cafile=; [ -r /etc/ssl/certs/ca-certificates.crt ] && cafile=--cafile=/etc/ssl/certs/ca-certificates.crt`,
    `npm install --global --prefix ${prefix} --no-audit --no-fund --loglevel=error $cafile opencode-ai@${opencodeVersion}`,
    `${prefix}/bin/opencode --version >/dev/null 2>&1 || (cd ${prefix}/lib/node_modules/opencode-ai && node ./postinstall.mjs)`,
    `${prefix}/bin/opencode --version`,
  ].join("\n");
  try {
    await runCommand(sandbox, ["bash", "-lc", script], {
      category: "agent_start",
      doing: `install OpenCode ${opencodeVersion} in the sandbox`,
      timeoutMs: 600_000,
    });
  } catch (error) {
    throw new RunError({
      category: "agent_start",
      message: `The sandbox's template has no OpenCode, and installing it failed: ${(error as Error).message}`,
      whatToDo:
        "If it keeps happening, ask whoever runs Ship to build Ship's sandbox template (`npm run template:build`), which has OpenCode.",
      retryable: !(error instanceof RunError) || error.retryable,
      cause: error,
    });
  }
}
