import type { Logger } from "pino";
import { Probot, Server } from "probot";
import type { AppCredentials, Config } from "../config/read-config.js";
import { type AppDependencies, createShipApp } from "../index.js";
import { healthHandler } from "./health-handler.js";

/** Ship's HTTP side: GitHub webhooks (signature-checked by Probot), health and pages. */
export interface WebServer {
  /** The port actually listened on (PORT may be 0). */
  port: number;
  stop(): Promise<void>;
}

/** Starts Probot's server with Ship's app and Ship's own HTTP handlers. */
export async function startWebServer(params: {
  app: AppCredentials;
  config: Pick<Config, "server" | "githubApiUrl" | "webhookProxyUrl">;
  deps: AppDependencies;
  log: Logger;
}): Promise<WebServer> {
  const { app, config, log } = params;
  const server = new Server({
    host: config.server.host,
    port: config.server.port,
    webhookProxy: config.webhookProxyUrl,
    log: log.child({ name: "server" }),
    enableStaticFiles: false,
    Probot: Probot.defaults({
      appId: app.appId,
      privateKey: app.privateKey,
      secret: app.webhookSecret,
      baseUrl: config.githubApiUrl,
      log: log.child({ name: "probot" }),
    }),
  });
  server.addHandler(healthHandler);
  await server.load(createShipApp(params.deps));
  await server.start();
  return { port: server.port, stop: () => server.stop() };
}
