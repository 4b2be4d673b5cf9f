import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { isAlive } from "../helpers/is-alive.js";

const migrations = readdirSync(path.resolve(import.meta.dirname, "../../src/db/migrations")).filter(
  (n) => n.endsWith(".sql"),
).length;

import { findFreePort } from "../../src/net/find-free-port.js";
import { startShipProcess } from "../../src/sim/start-ship-process.js";
import { createTestDatabase } from "../helpers/create-test-database.js";
import { testPrivateKey } from "../helpers/test-private-key.js";

const appEnv = {
  APP_ID: "1",
  PRIVATE_KEY: testPrivateKey(),
  WEBHOOK_SECRET: "secret",
  E2B_API_KEY: "e2b_test",
  HOST: "127.0.0.1",
  PORT: "0",
};

describe("the Ship process (npm start)", () => {
  it("stops at start-up with one line naming a bad setting", async () => {
    const ship = startShipProcess({ ...appEnv, SHIP_WORKER_CONCURRENCY: "lots" });
    const { code } = await ship.exited;
    expect(code).toBe(78);
    expect(ship.stderr()).toBe(
      'Ship cannot start: SHIP_WORKER_CONCURRENCY is "lots"; expected an integer from 1 to 100.\n',
    );
  });

  it("reads .env in its directory, as the register-the-app flow leaves it; the environment wins", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ship-dotenv-"));
    try {
      writeFileSync(
        path.join(dir, ".env"),
        "SHIP_WORKER_CONCURRENCY=lots\nSHIP_RUN_TIMEOUT=soon\n",
      );
      const ship = startShipProcess({ ...appEnv, SHIP_WORKER_CONCURRENCY: "2" }, { cwd: dir });
      const { code } = await ship.exited;
      expect(code).toBe(78);
      expect(ship.stderr()).toMatch(/^Ship cannot start: SHIP_RUN_TIMEOUT is "soon"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("serves Probot's register-the-app flow with Ship's manifest when no app is configured", async () => {
    // Probot's setup server treats PORT=0 as "use 3000", so give it a free port.
    const ship = startShipProcess({
      HOST: "127.0.0.1",
      PORT: String(await findFreePort()),
      NO_SMEE_SETUP: "true",
      // As the container image runs it (Probot's own run() refuses setup mode there).
      NODE_ENV: "production",
    });
    try {
      const port = await ship.ready;
      // Healthy, so a container's health check leaves it running while its maintainer
      // registers the app; not ready, saying where to go.
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.text()).toBe(
        `not configured: open http://localhost:${port}/probot to register the GitHub App\n`,
      );
      const home = await fetch(`http://127.0.0.1:${port}/`, { redirect: "manual" });
      expect(home.status).toBe(302);
      expect(home.headers.get("location")).toBe("/probot");
      const page = await (await fetch(`http://127.0.0.1:${port}/probot`)).text();
      const manifest = JSON.parse(
        (/name="manifest" id="manifest" value='([^']*)'/.exec(page)?.[1] ?? "{}").replace(
          /&#39;/g,
          "'",
        ),
      );
      expect(manifest.name).toBe("Ship");
      expect(manifest.default_permissions).toEqual({
        contents: "write",
        pull_requests: "write",
        issues: "write",
        metadata: "read",
      });
      expect(manifest.default_events).toEqual([
        "issue_comment",
        "issues",
        "pull_request_review_comment",
      ]);
    } finally {
      ship.child.kill("SIGTERM");
      await ship.exited;
    }
  });

  it("starts an embedded Postgres, migrates, serves /healthz, and leaves nothing behind on SIGTERM", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "ship-process-"));
    const ship = startShipProcess({ ...appEnv, SHIP_DATA_DIR: dataDir });
    const port = await ship.ready;

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);

    // The database is real and migrated: connect to it as an operator would.
    const pidFile = readFileSync(path.join(dataDir, "postgres", "postmaster.pid"), "utf8").split(
      "\n",
    );
    const postmasterPid = Number(pidFile[0]);
    const password = readFileSync(path.join(dataDir, "postgres.password"), "utf8").trim();
    const client = new pg.Client({
      host: "127.0.0.1",
      port: Number(pidFile[3]),
      user: "postgres",
      password,
      database: "postgres",
    });
    await client.connect();
    const { rows } = await client.query("SELECT version FROM schema_migrations ORDER BY version");
    await client.end();
    expect(rows).toHaveLength(migrations);
    expect(rows[0]).toEqual({ version: 1 });
    expect(isAlive(postmasterPid)).toBe(true);

    const sentAt = Date.now();
    ship.child.kill("SIGTERM");
    const { code } = await ship.exited;
    expect(code).toBe(0);
    expect(Date.now() - sentAt).toBeLessThan(10_000);
    expect(isAlive(postmasterPid)).toBe(false);
    expect(existsSync(path.join(dataDir, "postgres", "postmaster.pid"))).toBe(false);
  });

  it("starts two processes at once on one database; migrations run once", async () => {
    const db = await createTestDatabase();
    try {
      const env = { ...appEnv, DATABASE_URL: db.url };
      const ships = [startShipProcess(env), startShipProcess({ ...env, SHIP_ROLE: "worker" })];
      const [webPort] = await Promise.all(ships.map((ship) => ship.ready));
      expect((await fetch(`http://127.0.0.1:${webPort}/healthz`)).status).toBe(200);

      const applied = ships.flatMap((ship) =>
        ship.logs.filter((l) => l.msg === "applied database migration"),
      );
      expect(applied).toHaveLength(migrations);
      expect(new Set(applied.map((l) => l.pid)).size).toBe(1);
      const { rows } = await db.pool.query("SELECT count(*)::int AS n FROM schema_migrations");
      expect(rows[0]).toEqual({ n: migrations });

      for (const ship of ships) ship.child.kill("SIGTERM");
      const exits = await Promise.all(ships.map((ship) => ship.exited));
      expect(exits.map((e) => e.code)).toEqual([0, 0]);
    } finally {
      await db.drop();
    }
  });
});
