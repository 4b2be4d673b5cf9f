import { randomBytes } from "node:crypto";
import { createOpencodeClient, type OpencodeClient } from "@opencode-ai/sdk/v2/client";
import type { Sandbox } from "e2b";
import type { Logger } from "pino";
import { RunError } from "../runs/run-error.js";
import { sandboxPortUrl } from "../sandbox/sandbox-port-url.js";
import type { OpencodeConfig } from "./build-opencode-config.js";
import { installedOpencodeDir } from "./install-opencode.js";
import { OpencodeNotFoundError } from "./opencode-not-found-error.js";

/** OpenCode serving inside a sandbox, and the client that reaches it from Ship. */
export interface OpencodeServer {
  /** Every request (the event stream included) goes through the sandbox's port routing. */
  readonly client: OpencodeClient;
  /** The port OpenCode listens on inside the sandbox. */
  readonly port: number;
  /** Kills OpenCode (and what it started) and waits for it to exit. Never throws; safe to call twice. */
  stop(): Promise<void>;
}

/** What the sandbox's shell prints when there is no `opencode` to start. */
const notFoundMarker = "ship: no opencode on PATH";

/**
 * Environment OpenCode needs to run unattended and offline-safe: no models.dev
 * download, no self-update, no LSP server downloads, no sharing.
 */
const quietEnv = {
  OPENCODE_DISABLE_MODELS_FETCH: "1",
  OPENCODE_DISABLE_AUTOUPDATE: "1",
  OPENCODE_DISABLE_LSP_DOWNLOAD: "1",
  OPENCODE_DISABLE_SHARE: "1",
};

const outputTailChars = 4_000;
/** How long `stop()` waits to see OpenCode exit after killing it. */
const stopWaitMs = 5_000;

/**
 * Starts `opencode serve` inside `sandbox` (whose repository is at `cwd`) as a
 * background command and resolves once it answers through the sandbox's port
 * routing (`sandboxPortUrl`), with a client for it.
 *
 * - No deadline on the command (`timeoutMs: 0`): envd kills commands after 60 s by default.
 * - `--port 0`: OpenCode prefers 4096 and falls back to a free port; sandboxes that
 *   share a network (the local stand-in) would collide on a fixed one. The port is
 *   read from its "listening on" line.
 * - Listens on 0.0.0.0 (E2B routes to the sandbox's interface, not its loopback) and so
 *   requires a password: a random one per start, sent as Basic auth on every request.
 * - Its own HOME and XDG dirs under `/tmp/ship-opencode-<sandbox id>`, outside the
 *   repository, set by the shell after the login profile ran (the template's PATH may
 *   come from ~/.profile). OpenCode installs `@opencode-ai/plugin` from npm into its
 *   global config dir at every start (33 MB, network). That dir is made read-only, so
 *   OpenCode skips the install, and (for root, whom permissions do not stop) holds an
 *   `.npmrc` with `offline=true`, so the install fails at once instead. Both stay in
 *   OpenCode's own dir: `npm_config_offline` in the environment would be inherited by
 *   the agent's shell and break `npm install` in the repository.
 * - Config via OPENCODE_CONFIG_CONTENT; the environment is only what Ship passes plus
 *   what the sandbox itself sets, nothing of this process's.
 *
 * Throws `OpencodeNotFoundError` when the sandbox has no `opencode` on PATH, an error
 * with the tail of OpenCode's output when it exits before listening, and a retryable
 * `RunError` (category `agent_start`) when it does not answer within `timeoutMs`
 * (default 60 s): a sandbox short of CPU, or OpenCode stuck loading the project, is
 * worth trying again.
 */
export async function startOpencodeServer(params: {
  sandbox: Pick<Sandbox, "sandboxId" | "sandboxDomain" | "trafficAccessToken" | "commands">;
  /** The repository's directory inside the sandbox: OpenCode runs there and works on it. */
  cwd: string;
  config: OpencodeConfig;
  /** Ship's `config.sandbox` (`E2B_SANDBOX_URL`, `E2B_DOMAIN`): how sandbox ports are reached. */
  sandboxSettings: { sandboxUrl?: string | undefined; domain?: string | undefined };
  timeoutMs?: number;
  /** The client's HTTP transport; default the global `fetch`. */
  fetch?: typeof fetch;
  log?: Logger;
}): Promise<OpencodeServer> {
  const { sandbox, cwd, config, sandboxSettings, timeoutMs = 60_000, log } = params;
  const startedAt = Date.now();
  const password = randomBytes(24).toString("base64url");
  const stateDir = `/tmp/ship-opencode-${sandbox.sandboxId}`;
  const script = [
    // Where Ship installs OpenCode when the template lacks it (`installOpencode`).
    `export PATH="$PATH:$HOME/${installedOpencodeDir}/bin"`,
    `command -v opencode >/dev/null 2>&1 || { echo "${notFoundMarker} ($PATH)" >&2; exit 127; }`,
    `export HOME=${quote(`${stateDir}/home`)} XDG_CONFIG_HOME=${quote(`${stateDir}/config`)}`,
    `export XDG_DATA_HOME=${quote(`${stateDir}/data`)} XDG_CACHE_HOME=${quote(`${stateDir}/cache`)} XDG_STATE_HOME=${quote(`${stateDir}/state`)}`,
    `mkdir -p "$HOME" "$XDG_CONFIG_HOME/opencode" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME"`,
    // A restart in the same sandbox finds the dir read-only already.
    `chmod u+w "$XDG_CONFIG_HOME/opencode"`,
    `printf 'offline=true\\n' > "$XDG_CONFIG_HOME/opencode/.npmrc"`,
    `chmod 555 "$XDG_CONFIG_HOME/opencode"`,
    "exec opencode serve --hostname 0.0.0.0 --port 0",
  ].join("\n");

  let output = "";
  let announcePort: (port: number) => void = () => {};
  const listening = new Promise<number>((resolve) => {
    announcePort = resolve;
  });
  const onOutput = (text: string) => {
    output = (output + text).slice(-outputTailChars);
    const match = /opencode server listening on https?:\/\/\S+:(\d+)/.exec(output);
    if (match) announcePort(Number(match[1]));
  };

  const handle = await sandbox.commands.run(script, {
    background: true,
    timeoutMs: 0,
    cwd,
    envs: {
      ...quietEnv,
      OPENCODE_CONFIG_CONTENT: JSON.stringify(config),
      OPENCODE_SERVER_PASSWORD: password,
    },
    onStdout: onOutput,
    onStderr: onOutput,
  });
  // The handle's wait() rejects when the command fails or the sandbox goes; observed
  // here once, so no rejection is ever left unhandled.
  const exited = handle.wait().then(
    (result) => result.exitCode,
    (error: unknown) => (error as { exitCode?: number }).exitCode ?? -1,
  );
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      await handle.kill().catch(() => false);
      // Gone once envd reports the exit; a vanished sandbox may never report it.
      let timer: NodeJS.Timeout | undefined;
      const giveUp = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, stopWaitMs);
      });
      await Promise.race([exited, giveUp]);
      clearTimeout(timer);
    })();
    return stopped;
  };

  try {
    const port = await settleWithin(
      timeoutMs,
      listening,
      exited.then((exitCode) => {
        if (exitCode === 127 && output.includes(notFoundMarker)) {
          throw new OpencodeNotFoundError(
            `OpenCode is not installed in sandbox ${sandbox.sandboxId}: ${lastLine(output)}`,
          );
        }
        throw new Error(
          `OpenCode exited (exit code ${exitCode}) before listening; its output ended with:\n${output}`,
        );
      }),
      () => startTimeout(timeoutMs, "did not start listening", output),
    );
    const { baseUrl, headers } = sandboxPortUrl(sandbox, port, sandboxSettings);
    // No `directory`: OpenCode then works in its own cwd, the repository as the sandbox
    // resolved it (`cwd` may be relative to the home, which OpenCode would not expand).
    const client = createOpencodeClient({
      baseUrl,
      ...(params.fetch ? { fetch: params.fetch } : {}),
      headers: {
        ...headers,
        Authorization: `Basic ${Buffer.from(`opencode:${password}`).toString("base64")}`,
      },
    });
    // Proves the route and the password work, and makes OpenCode load the project
    // now rather than on the first prompt.
    const remaining = Math.max(1, timeoutMs - (Date.now() - startedAt));
    await client.path
      .get(undefined, { throwOnError: true, signal: AbortSignal.timeout(remaining) })
      .catch((error: unknown) => {
        throw (error as Error).name === "TimeoutError"
          ? startTimeout(timeoutMs, "listened but did not answer", output, error)
          : error;
      });
    log?.debug(
      { sandboxId: sandbox.sandboxId, port, ms: Date.now() - startedAt },
      "OpenCode started",
    );
    return { client, port, stop };
  } catch (error) {
    log?.warn({ sandboxId: sandbox.sandboxId, err: error }, "OpenCode did not start");
    await stop();
    throw error;
  }
}

/** The first of `value` and `failure` to settle, or the timeout error `timedOut` builds. */
async function settleWithin<T>(
  timeoutMs: number,
  value: Promise<T>,
  failure: Promise<never>,
  timedOut: () => Error,
): Promise<T> {
  // Whichever loses must not surface later as an unhandled rejection.
  failure.catch(() => {});
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timedOut()), timeoutMs);
  });
  try {
    return await Promise.race([value, failure, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** OpenCode was too slow to start: retryable, and said in words a user can act on. */
function startTimeout(timeoutMs: number, what: string, output: string, cause?: unknown): RunError {
  const wait = timeoutMs < 1_000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1_000)} s`;
  return new RunError({
    category: "agent_start",
    message: `OpenCode ${what} within ${wait} in the sandbox, so the agent could not start. Its output ended with: ${lastLine(output) || "(nothing)"}`,
    whatToDo:
      "If it keeps happening, ask whoever runs Ship to check the sandbox template (OpenCode installed, enough CPU) and the agent's start timeout.",
    retryable: true,
    ...(cause ? { cause } : {}),
  });
}

function quote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

function lastLine(text: string): string {
  return text.trim().split("\n").at(-1) ?? "";
}
