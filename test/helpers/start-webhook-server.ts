import { randomBytes } from "node:crypto";
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { request } from "@octokit/request";
import type { PgBoss } from "pg-boss";
import { migrate } from "../../src/db/migrate.js";
import { createProbot } from "../../src/github/create-probot.js";
import { createTokenCipher } from "../../src/identity/create-token-cipher.js";
import { createUserTokens } from "../../src/identity/create-user-tokens.js";
import { startQueue } from "../../src/queue/start-queue.js";
import { startWebServer, type WebServer } from "../../src/web/start-web-server.js";
import { createTestDatabase, type TestDatabase } from "./create-test-database.js";
import { testLogger } from "./test-logger.js";
import { testPrivateKey } from "./test-private-key.js";

/** Ship's real HTTP server taking webhooks, on its own database and queue. */
export interface WebhookServer {
  db: TestDatabase;
  boss: PgBoss;
  web: WebServer;
  /** Where GitHub would POST deliveries. */
  url: string;
  stop(): Promise<void>;
}

/** A GitHub that has nothing (no `.github/ship.yml`, no such user) and answers at once. */
const emptyGitHub: RequestListener = (_req, res) => {
  res.writeHead(404, { "content-type": "application/json" }).end('{"message":"Not Found"}');
};

/**
 * Starts Ship's web server with its webhook handlers, signed with `secret`, on a fresh
 * migrated database and job queue, asking `github` (a stand-in handler) whatever the
 * handlers ask GitHub.
 */
export async function startWebhookServer(params: {
  secret: string;
  github?: RequestListener;
}): Promise<WebhookServer> {
  const db = await createTestDatabase();
  await migrate(db.pool, testLogger());
  const boss = await startQueue({ databaseUrl: db.url, runTimeoutMs: 60_000, log: testLogger() });
  const github: Server = createServer(params.github ?? emptyGitHub);
  await new Promise<void>((resolve) => github.listen(0, "127.0.0.1", resolve));
  const web = await startWebServer({
    config: { server: { host: "127.0.0.1", port: 0 }, webhookProxyUrl: undefined },
    webhooks: {
      probot: createProbot({
        app: { appId: 1, privateKey: testPrivateKey(), webhookSecret: params.secret },
        githubApiUrl: `http://127.0.0.1:${(github.address() as AddressInfo).port}/api/v3`,
        throttle: false,
        log: testLogger(),
      }),
      deps: {
        pool: db.pool,
        boss,
        models: { default: "sim/write-readme", providers: {} },
        githubUrl: "http://127.0.0.1:9",
        triggerLabel: "ship",
        tokens: createUserTokens({
          pool: db.pool,
          cipher: createTokenCipher(randomBytes(32)),
          oauth: undefined,
          request,
          log: testLogger(),
        }),
        log: testLogger(),
      },
    },
    log: testLogger(),
  });
  return {
    db,
    boss,
    web,
    url: `http://127.0.0.1:${web.port}/api/github/webhooks`,
    async stop() {
      await web.stop();
      await boss.stop({ close: true, graceful: false });
      await new Promise((resolve) => github.close(resolve));
      await db.drop();
    },
  };
}
