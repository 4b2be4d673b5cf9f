import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "pino";

/**
 * SHIP_ENCRYPTION_KEY when set. Otherwise a key generated once and kept in
 * `<dataDir>/encryption.key` (mode 0600), so a single process on its embedded defaults
 * works; several processes must share a key set in their environment.
 */
export async function loadEncryptionKey(
  configured: Buffer | undefined,
  dataDir: string,
  log: Logger,
): Promise<Buffer> {
  if (configured) return configured;
  const file = path.resolve(dataDir, "encryption.key");
  if (existsSync(file)) return Buffer.from((await readFile(file, "utf8")).trim(), "hex");
  await mkdir(path.dirname(file), { recursive: true });
  const key = randomBytes(32);
  await writeFile(file, `${key.toString("hex")}\n`, { mode: 0o600 });
  log.warn(
    { file },
    "SHIP_ENCRYPTION_KEY is not set: generated a key for this machine; set it when running several processes",
  );
  return key;
}
