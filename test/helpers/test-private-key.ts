import { generateKeyPairSync } from "node:crypto";

let cached: string | undefined;

/** An RSA private key in PEM, made once per test file, for an app's credentials. */
export function testPrivateKey(): string {
  cached ??= generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
    type: "pkcs1",
    format: "pem",
  }) as string;
  return cached;
}
