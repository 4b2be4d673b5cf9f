// Jest loads global setup outside its TypeScript transform; tsx loads the TS module.
import { tsImport } from "tsx/esm/api";

export default async function globalSetup() {
  const { startTestPostgres } = await tsImport("./start-test-postgres.ts", import.meta.url);
  const { startSandboxServer } = await tsImport(
    "../src/sim/sandbox/start-sandbox-server.ts",
    import.meta.url,
  );
  // The E2B stand-in builds its templates' programs once per machine (seconds on a new
  // one): here, rather than inside the first tests' time limits, in parallel workers.
  const [, sandbox] = await Promise.all([startTestPostgres(), startSandboxServer()]);
  await sandbox.stop();
}
