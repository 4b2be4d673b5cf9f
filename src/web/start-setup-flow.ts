import type { Logger } from "pino";
import type { Config } from "../config/read-config.js";
import { loadProbotSetupApp } from "./load-probot-setup-app.js";
import { setupReadinessHandler } from "./setup-readiness-handler.js";
import { startWebServer } from "./start-web-server.js";

/**
 * With no GitHub App credentials yet, serves Probot's register-the-app flow (the GitHub
 * App manifest in app.yml): it creates the app on GitHub and writes APP_ID,
 * PRIVATE_KEY and WEBHOOK_SECRET into `.env`; start Ship again afterwards. Meanwhile
 * the process is healthy (`/healthz` 200, so a container is not restarted while its
 * maintainer registers the app) but not ready (`/readyz` 503 saying where to go).
 */
export async function startSetupFlow(
  config: Pick<Config, "server" | "webhookProxyUrl" | "publicUrl">,
  log: Logger,
): Promise<{ stop(): Promise<void> }> {
  const { host, port } = config.server;
  const registerUrl = `${config.publicUrl}/probot`;
  const setupApp = await loadProbotSetupApp({
    host,
    port,
    publicUrl: config.publicUrl,
    webhookProxyUrl: config.webhookProxyUrl,
    log: log.child({ name: "setup" }),
  });
  const server = await startWebServer({
    config: { ...config, webhookProxyUrl: undefined },
    handlers: [setupReadinessHandler(registerUrl), setupApp],
    log,
  });
  log.info(
    { port: server.port, registerUrl },
    `No GitHub App is configured yet: open ${registerUrl} to register one`,
  );
  return { stop: () => server.stop() };
}
