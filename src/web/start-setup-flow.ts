import type { Logger } from "pino";
import { run } from "probot";

/**
 * With no GitHub App credentials yet, serves Probot's register-the-app flow (the GitHub
 * App manifest in app.yml): it creates the app on GitHub and writes APP_ID,
 * PRIVATE_KEY and WEBHOOK_SECRET into `.env`; start Ship again afterwards.
 */
export async function startSetupFlow(
  env: Record<string, string | undefined>,
  log: Logger,
): Promise<{ stop(): Promise<void> }> {
  log.info("No GitHub App is configured yet: open Ship's address in a browser to register one.");
  const server = await run(() => {}, { log, env: env as NodeJS.ProcessEnv });
  return { stop: () => server.stop() };
}
