import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { createNodeMiddleware, type Probot } from "probot";
import { SmeeClient } from "smee-client";
import type { Config } from "../config/read-config.js";
import { type AppDependencies, createShipApp } from "../index.js";
import { healthHandler } from "./health-handler.js";
import { readCappedBody } from "./read-capped-body.js";
import { refuseOversizedBody } from "./refuse-oversized-body.js";

/** Ship's HTTP side: GitHub webhooks (signature-checked by Probot), health and pages. */
export interface WebServer {
  /** The port actually listened on (PORT may be 0). */
  port: number;
  /** Stops accepting connections and lets requests in progress finish (bounded). */
  stop(): Promise<void>;
}

/** Answers a request and returns true, or returns false to let the next handler try. */
export type Handler = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

export const webhookPath = "/api/github/webhooks";
/** GitHub sends no payload over 25 MB, so a longer body is not GitHub's: never buffered. */
export const maxWebhookBytes = 25 * 1024 * 1024;
/** Webhook handlers only write a few rows, so in-flight requests finish well within this. */
const closeTimeoutMs = 5_000;

/**
 * Starts Ship's HTTP server: Probot's webhook middleware with Ship's app (unless this
 * process only runs jobs), `/healthz`, then Ship's own routes.
 */
export async function startWebServer(params: {
  config: Pick<Config, "server" | "webhookProxyUrl">;
  /** Where webhooks go; absent on a worker-only process (it serves health and metrics). */
  webhooks?: {
    probot: Probot;
    deps: AppDependencies;
    /** Told of each webhook request before it is handled (to count it once answered). */
    observe?: (req: IncomingMessage, res: ServerResponse) => void;
  };
  /** Ship's own pages (sign-in, ...), tried after webhooks and health. */
  handlers?: Handler[];
  log: Logger;
}): Promise<WebServer> {
  const { config, log } = params;
  const handlers: Handler[] = [healthHandler, ...(params.handlers ?? [])];
  if (params.webhooks) {
    const { observe } = params.webhooks;
    const middleware = await createNodeMiddleware(createShipApp(params.webhooks.deps), {
      probot: params.webhooks.probot,
      webhooksPath: webhookPath,
    });
    const utf8 = new TextDecoder("utf-8", { fatal: false });
    handlers.unshift(async (req, res) => {
      if (req.method === "POST" && req.url?.split("?")[0] === webhookPath) {
        observe?.(req, res);
        // Probot buffers whatever arrives before it checks the signature; read it here,
        // bounded, and hand it over as the string Probot would have decoded.
        const body = await readCappedBody(req, maxWebhookBytes);
        if (!body) {
          refuseOversizedBody(req, res, {
            message: `Payload over ${maxWebhookBytes} bytes`,
            maxDiscardBytes: maxWebhookBytes,
          });
          return true;
        }
        Object.assign(req, { body: utf8.decode(body) });
      }
      return Boolean(await middleware(req, res));
    });
  }

  const server = createServer(async (req, res) => {
    try {
      for (const handle of handlers) if (await handle(req, res)) return;
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Not found\n");
    } catch (error) {
      // The path only: queries carry OAuth codes, states and retry tokens.
      log.error({ err: error, method: req.method, path: req.url?.split("?")[0] }, "request failed");
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.server.port, config.server.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  log.info({ url: `http://${config.server.host}:${port}` }, "web server listening");

  const proxy =
    config.webhookProxyUrl && params.webhooks
      ? new SmeeClient({
          source: config.webhookProxyUrl,
          target: `http://127.0.0.1:${port}${webhookPath}`,
          logger: proxyLogger(log, config.webhookProxyUrl),
        })
      : undefined;
  await proxy?.start();

  return {
    port,
    async stop() {
      await proxy?.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), closeTimeoutMs);
      await closed;
      clearTimeout(timer);
    },
  };
}

/**
 * The smee client's logger, naming its channel by host only: anyone with the channel's
 * URL reads every signed delivery (and could replay them), so the URL is a secret.
 */
function proxyLogger(
  log: Logger,
  source: string,
): { info(m: unknown): void; error(m: unknown): void } {
  const host = new URL(source).host;
  const hide = (message: unknown) =>
    (message instanceof Error ? message.message : String(message)).replaceAll(
      source,
      `the webhook proxy at ${host}`,
    );
  return {
    info: (message) => log.info({ proxy: host }, hide(message)),
    error: (message) => log.error({ proxy: host }, hide(message)),
  };
}
