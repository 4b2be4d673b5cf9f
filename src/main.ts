import { existsSync } from "node:fs";
import { ConfigError } from "./config/config-error.js";
import { type Config, readConfig } from "./config/read-config.js";
import { createLogger } from "./logging/create-logger.js";
import { listConfigSecrets } from "./logging/list-config-secrets.js";
import { startShip } from "./start-ship.js";
import { startSetupFlow } from "./web/start-setup-flow.js";

/**
 * Process entry (`npm start`): read the settings (the environment, then `.env`), start Ship (or the register-the-app
 * flow when there is no app yet), and stop gracefully on SIGTERM or SIGINT.
 */
async function main(env = process.env): Promise<void> {
  // What the register-the-app flow wrote (APP_ID, PRIVATE_KEY, WEBHOOK_SECRET), and what
  // people put beside it; variables already set win.
  if (existsSync(".env")) process.loadEnvFile(".env");
  let config: Config;
  try {
    config = readConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`Ship cannot start: ${error.message}\n`);
    process.exit(78); // EX_CONFIG
  }
  const log = createLogger({ ...config.log, secrets: listConfigSecrets(config) });

  const running = config.app
    ? await startShip({ config, app: config.app, log })
    : await startSetupFlow(config, log);

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "stopping");
    // The last resort if something hangs: never outlive the grace period by much.
    setTimeout(() => {
      log.error("shutdown took too long; exiting");
      process.exit(1);
    }, config.worker.shutdownGraceMs + 15_000).unref();
    try {
      await running.stop();
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, "error while stopping");
      process.exit(1);
    }
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Ship failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
