import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Logger, pino } from "pino";
import { createApiHandler } from "./create-api-handler.js";
import { createEnvdHandler } from "./create-envd-handler.js";
import { createSandboxRegistry } from "./create-sandbox-registry.js";
import { findOpencodeBinary } from "./find-opencode-binary.js";
import type { SandboxTemplate } from "./prepare-sandbox-template.js";
import { prepareSandboxTemplates } from "./prepare-sandbox-templates.js";
import { requestedIsolation } from "./requested-isolation.js";
import { type IsolationMode, resolveIsolation } from "./resolve-isolation.js";

/** How the E2B stand-in runs. Every field is optional. */
export interface SandboxServerOptions {
  /** The key every control-plane request must carry (`X-API-KEY`). Default: a random `e2b_...`. */
  apiKey?: string;
  /**
   * How sandbox processes are confined. `bwrap`: each sandbox in its own user, pid,
   * mount, ipc and uts namespaces (bubblewrap), seeing only its own directory plus a
   * read-only system. `none`: plain host processes with a clean environment. `auto`:
   * bwrap when it works on this machine, else none. Default: `SIM_SANDBOX_ISOLATION`
   * from `env`, else `auto`.
   */
  isolation?: "auto" | IsolationMode;
  /** Where `SIM_SANDBOX_ISOLATION` is read. Default: `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Where sandbox directories live. Default: a fresh temporary directory that `stop()` deletes. */
  dataDir?: string;
  /**
   * The `opencode` binary preinstalled in the template (on every sandbox's PATH).
   * Default: the one npm installed with `opencode-ai`; `null` for none.
   */
  opencodeBinary?: string | null;
  /**
   * Where the templates' programs are built once (from this machine's Debian packages).
   * Default: `node_modules/.cache/ship-sim-templates`.
   */
  templateCacheDir?: string;
  /** Template ids or names `Sandbox.create` accepts. Default: any. */
  templates?: readonly string[];
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  log?: Logger;
}

/** The template id whose sandboxes have no OpenCode preinstalled. */
export const bareTemplate = "bare";
/** Ship's template, which any id the stand-in does not know gets. */
const shipTemplate = "ship-opencode";

/** A running E2B stand-in. */
export interface SandboxServer {
  /** Control plane: what `E2B_API_URL` (or the SDK's `apiUrl`) takes. */
  readonly apiUrl: string;
  /** Every sandbox's envd and ports: what `E2B_SANDBOX_URL` (or `sandboxUrl`) takes. */
  readonly sandboxUrl: string;
  readonly apiKey: string;
  /** The isolation actually in force (what `auto` chose). */
  readonly isolation: IsolationMode;
  /** `E2B_API_URL`, `E2B_SANDBOX_URL` and `E2B_API_KEY`: point the SDK, or Ship's config, here. */
  readonly env: Readonly<{ E2B_API_URL: string; E2B_SANDBOX_URL: string; E2B_API_KEY: string }>;
  /** The host directory that is a live (running or paused) sandbox's `/`; undefined once it is gone. */
  sandboxDir(sandboxId: string): string | undefined;
  /** Kills every sandbox (every process), closes every connection, deletes what it created. */
  stop(): Promise<void>;
}

/**
 * Starts a local stand-in for E2B that the real `e2b` SDK talks to unmodified: a
 * control plane and one envd endpoint for all sandboxes (routed by the SDK's
 * `E2b-Sandbox-Id`/`E2b-Sandbox-Port` headers), both on 127.0.0.1. A sandbox is a
 * directory (its `/`; home `/home/user`) whose commands run as real processes via
 * `bash -l -c`, killed with the sandbox when it is killed or its timeout expires.
 *
 * Isolation. With bwrap, a sandbox's processes see only their own directory, the
 * host's `/usr` read-only and a synthesized `/etc`, run as `user` (uid 1000) in their
 * own user namespace, see only their own processes, start with a clean environment,
 * and die together (pid namespace), also when the server itself dies. Without bwrap
 * (`none`) only the clean environment remains, and it is thin: processes run as the
 * server's user, so they can read and write whatever it can (the host's files, other
 * sandboxes' directories, `/proc/<pid>/environ` of the server and so its secrets), see
 * every host process, and use host paths (`HOME` is `<dir>/home/user`, a command's cwd
 * is its host directory; absolute sandbox paths such as `/home/user` do not exist for
 * them). `kill()` still finds daemons by their inherited `E2B_SANDBOX_ID`, but one that
 * changes it escapes, and if the server dies without `stop()` its sandboxes' processes
 * live on. In both modes the network is the host's: sandboxes reach other local
 * stand-ins on 127.0.0.1, and share one port space.
 */
export async function startSandboxServer(
  options: SandboxServerOptions = {},
): Promise<SandboxServer> {
  const log = (options.log ?? pino({ level: "silent" })).child({ name: "e2b-sim" });
  const host = options.host ?? "127.0.0.1";
  const isolation = await resolveIsolation(
    options.isolation ?? requestedIsolation(options.env ?? process.env),
  );
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), "ship-e2b-sim-")));
  const opencodeBinary =
    options.opencodeBinary === null ? undefined : (options.opencodeBinary ?? findOpencodeBinary());
  const templates = await prepareSandboxTemplates({
    dir: path.join(dataDir, "template"),
    isolation,
    opencodeBinary,
    cacheDir: options.templateCacheDir,
    log,
  });
  const registry = createSandboxRegistry({
    dir: path.join(dataDir, "sandboxes"),
    // Another id (a team's own template) gets Ship's.
    templateFor: (templateId) =>
      templates.get(templateId) ?? (templates.get(shipTemplate) as SandboxTemplate),
    log,
  });
  const apiKey = options.apiKey ?? `e2b_${randomBytes(20).toString("hex")}`;

  const apiServer = createServer(
    createApiHandler({ registry, apiKey, templates: options.templates, log }),
  );
  const envdServer = createServer(createEnvdHandler({ registry, log }));
  const apiUrl = `http://${host}:${await listen(apiServer, host)}`;
  const sandboxUrl = `http://${host}:${await listen(envdServer, host)}`;
  log.info({ apiUrl, sandboxUrl, isolation, opencodeBinary }, "E2B stand-in listening");

  let stopping: Promise<void> | undefined;
  return {
    apiUrl,
    sandboxUrl,
    apiKey,
    isolation,
    env: { E2B_API_URL: apiUrl, E2B_SANDBOX_URL: sandboxUrl, E2B_API_KEY: apiKey },
    sandboxDir: (sandboxId) => registry.entry(sandboxId)?.sandbox.dir,
    stop() {
      stopping ??= (async () => {
        await registry.killAll();
        await Promise.all([close(apiServer), close(envdServer)]);
        await rm(options.dataDir === undefined ? dataDir : path.join(dataDir, "template"), {
          recursive: true,
          force: true,
        });
      })();
      return stopping;
    },
  };
}

function listen(server: Server, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
