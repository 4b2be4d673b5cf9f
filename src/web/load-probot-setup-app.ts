import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Logger } from "pino";
import { escapeHtml } from "./escape-html.js";
import { type Handler, webhookPath } from "./start-web-server.js";

/** What Probot's setup app takes: where it says it is served, and its logger. */
interface SetupAppOptions {
  host: string;
  port: number;
  log: Logger;
}

type SetupAppFactory = (options: SetupAppOptions) => () => Promise<Handler>;
interface ManifestCreation {
  pkg: { name?: string; version?: string; description?: string };
  createAppUrl: string;
  getManifest(options: { pkg: object; baseUrl: string }): string;
}
interface ProbotSetupModules {
  setupAppFactory: SetupAppFactory;
  setupView(view: {
    name: string;
    version?: string;
    description?: string;
    createAppUrl: string;
    manifest: string;
  }): string;
  staticFilesHandler: Handler;
  ManifestCreation: new () => ManifestCreation;
}

/** Probot's sentence for app developers, replaced with what someone installing Ship does. */
const developerSentence =
  "<p>To start building a GitHub App, you'll need to register a new app on GitHub.</p>";

/**
 * Probot's register-the-app flow (the manifest page, GitHub's redirect back, `.env`) as a
 * request handler Ship's own server can serve beside `/healthz` and `/readyz`. Probot's
 * `run()` serves it only on a server of its own with nothing else mounted, so the
 * handler is taken from Probot's module directly (Probot is pinned to one version; the
 * setup-mode process test fails if that module moves). Ship changes three things:
 *
 * - the manifest's OAuth callback and webhook URL come from SHIP_PUBLIC_URL (default
 *   http://localhost:PORT) or WEBHOOK_PROXY_URL now, not from app.yml's fixed example,
 *   so an app registered on another port or host signs people in where Ship is;
 * - the page is for someone installing Ship (its name, what happens next, the
 *   playground), with the description escaped (Probot puts it in as HTML);
 * - no smee.io channel is made behind the person's back (offline that only warned
 *   "Unable to connect to smee.io"); one log line says where webhooks will go instead.
 *   Probot's own banner is for Probot developers and stays quiet; the static files its
 *   page needs are served, without a log line each.
 */
export async function loadProbotSetupApp(
  options: SetupAppOptions & { publicUrl: string; webhookProxyUrl: string | undefined },
): Promise<Handler> {
  const { publicUrl, webhookProxyUrl, log } = options;
  const probot = await importProbotSetup();
  const noSmee = process.env.NO_SMEE_SETUP;
  process.env.NO_SMEE_SETUP = "true"; // read once, when the setup app is made
  let probotHandler: Handler;
  try {
    probotHandler = await probot.setupAppFactory({
      host: options.host,
      port: options.port,
      log: log.child({}, { level: "warn" }),
    })();
  } finally {
    if (noSmee === undefined) delete process.env.NO_SMEE_SETUP;
    else process.env.NO_SMEE_SETUP = noSmee;
  }
  const hookUrl = webhookProxyUrl ?? `${publicUrl}${webhookPath}`;
  const callbackUrl = `${publicUrl}/auth/callback`;
  if (!webhookProxyUrl) {
    log.info(
      { hookUrl },
      `No WEBHOOK_PROXY_URL: the app will send webhooks to ${hookUrl}; on a laptop, set WEBHOOK_PROXY_URL to a channel from https://smee.io/new before registering`,
    );
  }
  const creation = new probot.ManifestCreation();

  return async (req, res) => {
    const pathname = req.url?.split("?")[0];
    if (req.method === "GET" && pathname === "/probot") {
      const pkg = creation.pkg;
      const manifest = {
        ...(JSON.parse(creation.getManifest({ pkg, baseUrl: baseUrlOf(req) })) as object),
        callback_urls: [callbackUrl],
        hook_attributes: { url: hookUrl },
      };
      const page = probot
        .setupView({
          name: "Ship",
          ...(pkg.version ? { version: pkg.version } : {}),
          description: escapeHtml(pkg.description ?? ""),
          createAppUrl: creation.createAppUrl,
          // Probot puts it in a '…' attribute as it is: an apostrophe would end it.
          manifest: JSON.stringify(manifest).replace(/&/g, "&amp;").replace(/'/g, "&#39;"),
        })
        .replace(
          developerSentence,
          nextSteps({ hookUrl, callbackUrl, proxied: !!webhookProxyUrl }),
        );
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page);
      return true;
    }
    if (await probot.staticFilesHandler(req, res)) return true;
    const handled = await probotHandler(req, res);
    if (handled && pathname === "/probot/setup" && res.statusCode === 302) {
      log.info(
        "The GitHub App is registered and its keys are in .env: stop Ship (Ctrl-C), add E2B_API_KEY and the model settings (docs/install.md), then run npm start again",
      );
    }
    return handled;
  };
}

async function importProbotSetup(): Promise<ProbotSetupModules> {
  const lib = path.dirname(createRequire(import.meta.url).resolve("probot"));
  const load = (file: string) => import(pathToFileURL(path.join(lib, file)).href);
  const [setup, view, files, creation] = await Promise.all([
    load("apps/setup.js"),
    load("views/setup.js"),
    load("server/handlers/static-files.js"),
    load("manifest-creation.js"),
  ]);
  return {
    setupAppFactory: setup.setupAppFactory,
    setupView: view.setupView,
    staticFilesHandler: files.staticFilesHandler,
    ManifestCreation: creation.ManifestCreation,
  };
}

/** Where the browser reached this page: GitHub sends the person back there after creating the app. */
function baseUrlOf(req: { headers: Record<string, string | string[] | undefined> }): string {
  const host = String(req.headers["x-forwarded-host"] ?? req.headers.host ?? "localhost");
  const proto = String(req.headers["x-forwarded-proto"] ?? "http").split(",")[0];
  return `${proto}://${host}`;
}

function nextSteps(params: { hookUrl: string; callbackUrl: string; proxied: boolean }): string {
  const code = (text: string) => `<code>${escapeHtml(text)}</code>`;
  return [
    "<p>Ship is not connected to GitHub yet. <b>Register GitHub App</b> creates a GitHub App for Ship",
    ` from ${code("app.yml")} (the events and the least permissions it needs) and writes its keys into ${code(".env")}.`,
    ` Then stop Ship (Ctrl-C), add ${code("E2B_API_KEY")} and your model's settings`,
    ` (${code("docs/install.md")} in Ship's repository), and run ${code("npm start")} again.</p>`,
    `<p>Webhooks will go to ${code(params.hookUrl)}; signing in returns to ${code(params.callbackUrl)}.`,
    params.proxied
      ? "</p>"
      : ` GitHub cannot reach a laptop: set ${code("WEBHOOK_PROXY_URL")} to a channel from <a href="https://smee.io/new">smee.io</a> (or ${code("SHIP_PUBLIC_URL")} to a tunnel) first.</p>`,
    `<p>Only looking? ${code('npm run playground -- "add a README"')} shows a whole run on a local stand-in for GitHub, with no account.</p>`,
  ].join("");
}
