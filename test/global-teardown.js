/** Stops the embedded Postgres that global-setup started, if it started one. */
export default async function globalTeardown() {
  await globalThis.shipTestPostgres?.stop();
}
