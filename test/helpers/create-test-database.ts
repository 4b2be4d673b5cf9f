import { randomBytes } from "node:crypto";
import pg from "pg";

/** A database of its own for one test file, dropped afterwards. */
export interface TestDatabase {
  url: string;
  pool: pg.Pool;
  drop(): Promise<void>;
}

/** Creates an empty database on the test server (see global-setup.ts). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.SHIP_TEST_SERVER_URL;
  if (!serverUrl) throw new Error("SHIP_TEST_SERVER_URL is not set; run the tests through jest");
  const name = `ship_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 5 });
  pool.on("error", () => {});
  return {
    url: url.toString(),
    pool,
    async drop() {
      await pool.end();
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
