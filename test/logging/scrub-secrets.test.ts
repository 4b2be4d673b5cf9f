import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { readConfig } from "../../src/config/read-config.js";
import { createLogger } from "../../src/logging/create-logger.js";
import { listConfigSecrets } from "../../src/logging/list-config-secrets.js";
import { testPrivateKey } from "../helpers/test-private-key.js";

const key = testPrivateKey();
const encryptionHex = "ab".repeat(32);
const env = {
  APP_ID: "42",
  PRIVATE_KEY: key,
  WEBHOOK_SECRET: "webhook-CANARY-1",
  E2B_API_KEY: "e2b_CANARY-2-sandbox",
  GITHUB_CLIENT_ID: "Iv1.abc",
  GITHUB_CLIENT_SECRET: "client-CANARY-3-secret",
  SHIP_METRICS_TOKEN: "metrics-CANARY-4",
  SHIP_ENCRYPTION_KEY: encryptionHex,
  SHIP_PROVIDERS: JSON.stringify({
    anthropic: { options: { apiKey: "sk-ant-CANARY-5", baseURL: "https://api.anthropic.com" } },
  }),
  DATABASE_URL: "postgres://ship:db-CANARY-6@db.internal:5432/ship",
};

function logTo(format: "json" | "pretty") {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const config = readConfig(env, mkdtempSync(path.join(tmpdir(), "ship-scrub-")));
  const log = createLogger({ level: "info", format, secrets: listConfigSecrets(config) }, sink);
  return { log, output: () => lines.join("") };
}

describe("secrets in log lines", () => {
  it("writes each configured secret as [redacted], in a message and in a nested error", () => {
    const { log, output } = logTo("json");
    for (const secret of Object.values(env).filter((value) => value.includes("CANARY"))) {
      log.info(`calling with ${secret} now`);
      log.warn({ err: new Error("outer", { cause: new Error(`inner saw ${secret}`) }) }, "failed");
      log.info({ deep: { a: { b: { c: { d: [`x ${secret} y`] } } } } }, "deep");
    }
    log.info(
      `the key is ${encryptionHex} or ${Buffer.from(encryptionHex, "hex").toString("base64")}`,
    );
    log.info({ pem: key }, "a private key field not named like a secret");
    const text = output();
    expect(text).not.toContain("CANARY");
    expect(text).not.toContain(encryptionHex);
    expect(text).not.toContain(key.split("\n")[1]);
    expect(text).toContain("calling with [redacted] now");
    expect(text).toContain("inner saw [redacted]");
    expect(text).toContain("https://api.anthropic.com"); // not a credential: kept
    // Each line stays valid JSON.
    for (const line of text.trim().split("\n")) expect(() => JSON.parse(line)).not.toThrow();
  });

  it("scrubs token-shaped strings Ship never configured (GitHub tokens, JWTs, bearer credentials)", () => {
    const { log, output } = logTo("json");
    const tokens = [
      "ghs_16C7e42F292c6912E7710c838347Ae178B4a",
      "ghu_abcdefghijklmnopqrstuvwxyz0123456789",
      "gho_abcdefghijklmnopqrstuvwxyz0123456789",
      "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz",
      "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOjQyfQ.c2lnbmF0dXJl",
    ];
    for (const token of tokens)
      log.error({ err: new Error(`remote said: token ${token} bad`) }, "x");
    log.info("sent Authorization: Bearer opaque-credential-123");
    const text = output();
    for (const token of tokens) expect(text).not.toContain(token);
    expect(text).not.toContain("opaque-credential-123");
    expect(text).toContain("Bearer [redacted]");
  });

  it("scrubs before pretty-printing too", () => {
    const { log, output } = logTo("pretty");
    log.info({ nested: { note: "webhook-CANARY-1" } }, "secret is webhook-CANARY-1");
    expect(output()).toContain("secret is [redacted]");
    expect(output()).not.toContain("CANARY");
  });
});
