// Jest loads global setup outside its TypeScript transform; tsx loads the TS module.
import { tsImport } from "tsx/esm/api";

export default async function globalSetup() {
  const { startTestPostgres } = await tsImport("./start-test-postgres.ts", import.meta.url);
  await startTestPostgres();
}
