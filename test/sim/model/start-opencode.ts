import { type ChildProcess, spawn } from "node:child_process";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const opencodeBin = fileURLToPath(new URL("../../../node_modules/.bin/opencode", import.meta.url));

/** A running `opencode serve`. */
export interface RunningOpencode {
  url: string;
  /** SIGTERM, then SIGKILL if it has not exited within 5 s. */
  stop(): Promise<void>;
}

/**
 * Starts the real `opencode serve` from node_modules, isolated from this machine:
 * its HOME and XDG dirs under `root`, an environment built here rather than
 * inherited, and `config` passed as OPENCODE_CONFIG_CONTENT (what the SDK's
 * `createOpencodeServer` does, minus inheriting `process.env`, which it cannot avoid).
 */
export async function startOpencode(params: {
  root: string;
  config: object;
  timeoutMs?: number;
}): Promise<RunningOpencode> {
  const home = path.join(params.root, "home");
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, ".config"),
    XDG_DATA_HOME: path.join(home, ".local", "share"),
    XDG_CACHE_HOME: path.join(home, ".cache"),
    XDG_STATE_HOME: path.join(home, ".local", "state"),
    OPENCODE_CONFIG_CONTENT: JSON.stringify(params.config),
    OPENCODE_DISABLE_MODELS_FETCH: "1",
    OPENCODE_DISABLE_AUTOUPDATE: "1",
    OPENCODE_DISABLE_LSP_DOWNLOAD: "1",
    OPENCODE_DISABLE_SHARE: "1",
    // OpenCode installs @opencode-ai/plugin into every config dir from the npm
    // registry in the background (~33 MB per fresh HOME); offline it only warns.
    npm_config_offline: "true",
  };
  await mkdir(home, { recursive: true });
  const child = spawn(opencodeBin, ["serve", "--hostname=127.0.0.1", "--port=0"], {
    cwd: params.root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stop = () => stopChild(child);
  try {
    const url = await listeningUrl(child, params.timeoutMs ?? 30_000);
    return { url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function listeningUrl(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(
      () => reject(new Error(`opencode did not start within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /opencode server listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`opencode exited (${code ?? signal}) before listening:\n${output}`));
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}
