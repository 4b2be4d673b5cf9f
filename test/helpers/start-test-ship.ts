import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Logger } from "pino";
import { type Config, readConfig } from "../../src/config/read-config.js";
import { findFreePort } from "../../src/net/find-free-port.js";
import { connectShipToWorld } from "../../src/sim/connect-ship-to-world.js";
import { type LocalWorld, startLocalWorld } from "../../src/sim/start-local-world.js";
import { type Ship, startShip } from "../../src/start-ship.js";
import { createTestDatabase, type TestDatabase } from "./create-test-database.js";
import { testLogger } from "./test-logger.js";

/** Ship running in this process against the local world, on a database of its own. */
export interface TestShip {
  world: LocalWorld;
  ship: Ship;
  db: TestDatabase;
  config: Config;
  stop(): Promise<void>;
}

/**
 * Starts the local world and Ship exactly as a user would wire them: Ship reads the
 * world's settings (GHE_HOST, E2B_*, SHIP_MODEL, ...) through `readConfig`, and the
 * fake GitHub sends its webhooks to Ship's real HTTP server.
 */
export async function startTestShip(
  /** Settings over the world's; a function gets the world (its servers' addresses). */
  env: Record<string, string> | ((world: LocalWorld) => Record<string, string>) = {},
  options: { authorizeInstaller?: boolean; authorizeWriter?: boolean; log?: Logger } = {},
): Promise<TestShip> {
  const db = await createTestDatabase();
  const world = await startLocalWorld({
    dataDir: mkdtempSync(path.join(tmpdir(), "ship-e2e-")),
    webhookUrl: "http://127.0.0.1:9/not-yet",
    log: testLogger(),
  });
  // Ship must know its port before it listens (its public URL is in links and the OAuth
  // callback). A port free a moment ago can be taken meanwhile by another test file's
  // server (the two jest workers start servers side by side): then try another one.
  let config: Config;
  let ship: Ship;
  for (let attempt = 1; ; attempt++) {
    const port = await findFreePort();
    config = readConfig(
      {
        ...world.shipEnv,
        DATABASE_URL: db.url,
        HOST: "127.0.0.1",
        PORT: String(port),
        SHIP_PUBLIC_URL: `http://127.0.0.1:${port}`,
        ...(typeof env === "function" ? env(world) : env),
      },
      tmpdir(),
    );
    try {
      ship = await startShip({
        config,
        app: config.app as NonNullable<Config["app"]>,
        log: options.log ?? testLogger(),
      });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE" || attempt === 3) throw error;
    }
  }
  await connectShipToWorld(world, config.publicUrl, options);
  return {
    world,
    ship,
    db,
    config,
    async stop() {
      await ship.stop();
      await world.stop();
      await db.drop();
    },
  };
}
