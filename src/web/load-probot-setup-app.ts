import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Logger } from "pino";
import type { Handler } from "./start-web-server.js";

/** What Probot's setup app takes: where it says it is served, and its logger. */
interface SetupAppOptions {
  host: string;
  port: number;
  log: Logger;
}

type SetupAppFactory = (options: SetupAppOptions) => () => Promise<Handler>;

/**
 * Probot's register-the-app flow (the manifest page, GitHub's redirect back, `.env`) as a
 * request handler Ship's own server can serve beside `/healthz` and `/readyz`. Probot's
 * `run()` serves it only on a server of its own with nothing else mounted, so the
 * handler is taken from Probot's module directly (Probot is pinned to one version; the
 * setup-mode process test fails if that module moves).
 */
export async function loadProbotSetupApp(options: SetupAppOptions): Promise<Handler> {
  const entry = createRequire(import.meta.url).resolve("probot");
  const setupModule = pathToFileURL(path.join(path.dirname(entry), "apps", "setup.js")).href;
  const { setupAppFactory } = (await import(setupModule)) as { setupAppFactory: SetupAppFactory };
  return setupAppFactory(options)();
}
