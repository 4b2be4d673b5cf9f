import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ConfigError } from "../../src/config/config-error.js";
import { readConfig } from "../../src/config/read-config.js";
import { testPrivateKey } from "../helpers/test-private-key.js";

const emptyDir = mkdtempSync(path.join(tmpdir(), "ship-config-"));
const key = testPrivateKey();
const app = { APP_ID: "42", PRIVATE_KEY: key, WEBHOOK_SECRET: "shh", E2B_API_KEY: "e2b_test" };

function errorFor(env: Record<string, string>): ConfigError {
  try {
    readConfig(env, emptyDir);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("readConfig accepted the environment");
}

describe("readConfig", () => {
  it("gives working defaults with an app configured", () => {
    const config = readConfig(app, emptyDir);
    expect(config.app).toEqual({ appId: 42, privateKey: key, webhookSecret: "shh" });
    expect(config.githubApiUrl).toBe("https://api.github.com");
    expect(config.server).toEqual({ host: "localhost", port: 3000 });
    expect(config.database).toEqual({ url: undefined, dataDir: ".ship" });
    expect(config.publicUrl).toBe("http://localhost:3000");
    expect(config.role).toBe("all");
    expect(config.worker).toEqual({
      concurrency: 5,
      runTimeoutMs: 1_800_000,
      agentStartTimeoutMs: 60_000,
      shutdownGraceMs: 8_000,
      heartbeatMs: 30_000,
    });
    expect(config.model.default).toBe("anthropic/claude-sonnet-4-5");
  });

  it("has no app (setup mode) when neither APP_ID nor a key is set", () => {
    expect(readConfig({}, emptyDir).app).toBeUndefined();
  });

  it("treats an empty value as not set, as in a .env copied from .env.example", () => {
    const config = readConfig({ ...app, PORT: "", SHIP_DATA_DIR: "", DATABASE_URL: "" }, emptyDir);
    expect(config.server.port).toBe(3000);
    expect(config.database).toEqual({ url: undefined, dataDir: ".ship" });
  });

  it("points Probot at a GitHub Enterprise or stand-in host", () => {
    const config = readConfig(
      { ...app, GHE_HOST: "127.0.0.1:3001", GHE_PROTOCOL: "http" },
      emptyDir,
    );
    expect(config.githubApiUrl).toBe("http://127.0.0.1:3001/api/v3");
    expect(config.githubUrl).toBe("http://127.0.0.1:3001");
  });

  it("reads the private key from PRIVATE_KEY_PATH, and from base64", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ship-key-"));
    const file = path.join(dir, "app.pem");
    writeFileSync(file, key);
    const { PRIVATE_KEY: _, ...withoutKey } = app;
    expect(readConfig({ ...withoutKey, PRIVATE_KEY_PATH: file }, emptyDir).app?.privateKey).toBe(
      key,
    );
    const base64 = Buffer.from(key).toString("base64");
    expect(readConfig({ ...app, PRIVATE_KEY: base64 }, emptyDir).app?.privateKey).toContain(
      "BEGIN RSA PRIVATE KEY",
    );
  });

  it("parses durations in seconds, ms, minutes and hours", () => {
    const config = readConfig(
      { ...app, SHIP_RUN_TIMEOUT: "1h", SHIP_SHUTDOWN_GRACE: "500ms" },
      emptyDir,
    );
    expect(config.worker.runTimeoutMs).toBe(3_600_000);
    expect(config.worker.shutdownGraceMs).toBe(500);
    expect(readConfig({ ...app, SHIP_RUN_TIMEOUT: "90" }, emptyDir).worker.runTimeoutMs).toBe(
      90_000,
    );
  });

  it("accepts providers in OpenCode's provider-config shape", () => {
    const providers = {
      local: {
        npm: "@ai-sdk/openai-compatible",
        options: { baseURL: "http://127.0.0.1:9/v1" },
        models: { m: {} },
      },
    };
    const config = readConfig(
      { ...app, SHIP_MODEL: "local/m", SHIP_PROVIDERS: JSON.stringify(providers) },
      emptyDir,
    );
    expect(config.model).toEqual({ default: "local/m", providers });
  });

  it("accepts a 32-byte encryption key as hex or base64", () => {
    const hex = "ab".repeat(32);
    expect(readConfig({ ...app, SHIP_ENCRYPTION_KEY: hex }, emptyDir).encryption.key?.length).toBe(
      32,
    );
    const b64 = Buffer.alloc(32, 7).toString("base64");
    expect(readConfig({ ...app, SHIP_ENCRYPTION_KEY: b64 }, emptyDir).encryption.key).toEqual(
      Buffer.alloc(32, 7),
    );
  });

  it("reads budgets in dollars or tokens, and prices over the defaults", () => {
    const config = readConfig(
      {
        ...app,
        SHIP_RUN_BUDGET: "300k tokens",
        SHIP_REPO_MONTHLY_BUDGET: "$250.50",
        SHIP_MODEL_PRICES: '{"my-model":{"input":1,"output":4},"gpt-4o":{"input":9,"output":9}}',
      },
      emptyDir,
    );
    expect(config.gateway.runBudget).toEqual({ kind: "tokens", amount: 300_000 });
    expect(config.gateway.monthlyBudget).toEqual({ kind: "usd", amount: 250.5 });
    expect(config.gateway.prices["my-model"]).toEqual({ input: 1, output: 4 });
    expect(config.gateway.prices["gpt-4o"]).toEqual({ input: 9, output: 9 });
    expect(config.gateway.prices["claude-sonnet-4-5"]).toBeDefined();
    expect(readConfig(app, emptyDir).gateway.runBudget).toEqual({ kind: "usd", amount: 10 });
  });

  it("lets a web-only process start without an E2B key", () => {
    const { E2B_API_KEY: _, ...noE2b } = app;
    expect(readConfig({ ...noE2b, SHIP_ROLE: "web" }, emptyDir).role).toBe("web");
  });

  // Every way a value can be wrong: the message names the variable, says what it got
  // (unless secret) and what it expects, on one line.
  const badValues: Array<[string, string, RegExp]> = [
    ["APP_ID", "abc", /^APP_ID is "abc"; expected a positive integer/],
    ["PORT", "70000", /^PORT is "70000"; expected an integer from 0 to 65535/],
    ["PORT", "http", /^PORT is "http"; expected an integer/],
    ["GHE_PROTOCOL", "ftp", /^GHE_PROTOCOL is "ftp"; expected https or http/],
    [
      "GHE_HOST",
      "https://github.example.com",
      /^GHE_HOST is "https:\/\/github.example.com"; expected a host name/,
    ],
    [
      "WEBHOOK_PROXY_URL",
      "not a url",
      /^WEBHOOK_PROXY_URL is "not a url"; expected an http\(s\) URL/,
    ],
    ["LOG_LEVEL", "loud", /^LOG_LEVEL is "loud"; expected one of trace, debug/],
    ["LOG_FORMAT", "xml", /^LOG_FORMAT is "xml"; expected json or pretty/],
    [
      "E2B_API_URL",
      "localhost:3000",
      /^E2B_API_URL is "localhost:3000"; expected an http\(s\) URL/,
    ],
    ["E2B_SANDBOX_URL", "ftp://x", /^E2B_SANDBOX_URL is "ftp:\/\/x"; expected an http\(s\) URL/],
    ["SHIP_MODEL", "claude", /^SHIP_MODEL is "claude"; expected provider\/model/],
    [
      "SHIP_PUBLIC_URL",
      "ship.example.com",
      /^SHIP_PUBLIC_URL is "ship.example.com"; expected an http\(s\) URL/,
    ],
    ["SHIP_ROLE", "both", /^SHIP_ROLE is "both"; expected all, web or worker/],
    [
      "SHIP_WORKER_HEARTBEAT",
      "5s",
      /^SHIP_WORKER_HEARTBEAT is "5s"; expected a whole number of seconds, at least 10s/,
    ],
    ["SHIP_EVENT_RETENTION", "a week", /^SHIP_EVENT_RETENTION is "a week"; expected a duration/],
    [
      "SHIP_WORKER_CONCURRENCY",
      "0",
      /^SHIP_WORKER_CONCURRENCY is "0"; expected an integer from 1 to 100/,
    ],
    ["SHIP_RUN_TIMEOUT", "soon", /^SHIP_RUN_TIMEOUT is "soon"; expected a duration/],
    ["SHIP_SHUTDOWN_GRACE", "-5s", /^SHIP_SHUTDOWN_GRACE is "-5s"; expected a duration/],
    ["SHIP_SANDBOX_TEMPLATE", " ", /^SHIP_SANDBOX_TEMPLATE is " "; expected a template id/],
    ["SHIP_DATA_DIR", "  ", /^SHIP_DATA_DIR is " {2}"; expected a directory path/],
    ["HOST", " ", /^HOST is " "; expected a host name or IP address/],
    [
      "SHIP_RUN_BUDGET",
      "ten dollars",
      /^SHIP_RUN_BUDGET is "ten dollars"; expected a budget such as \$10/,
    ],
    ["SHIP_REPO_MONTHLY_BUDGET", "$-5", /^SHIP_REPO_MONTHLY_BUDGET is "\$-5"; expected a budget/],
    [
      "SHIP_MODEL_PRICES",
      '{"m":{"input":"cheap","output":1}}',
      /^SHIP_MODEL_PRICES is ".*"; expected a JSON object of model -> \{input, output/,
    ],
    [
      "SHIP_AGENT_START_TIMEOUT",
      "a while",
      /^SHIP_AGENT_START_TIMEOUT is "a while"; expected a duration/,
    ],
    [
      "SHIP_GATEWAY_URL",
      "ship.local",
      /^SHIP_GATEWAY_URL is "ship.local"; expected an http\(s\) URL/,
    ],
  ];
  it.each(badValues)("rejects %s=%j naming the variable", (variable, value, message) => {
    const error = errorFor({ ...app, [variable]: value });
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain("\n");
  });

  // Secrets: named, never echoed.
  const badSecrets: Array<[string, string]> = [
    ["DATABASE_URL", "mysql://user:hunter2@db/ship"],
    ["SHIP_PROVIDERS", '{"openai": {"options": {"apiKey": "hunter2"}'],
    ["SHIP_PROVIDERS", '{"Bad Id": {"options": {"apiKey": "hunter2"}}}'],
    ["SHIP_ENCRYPTION_KEY", "hunter2"],
  ];
  it.each(badSecrets)("rejects a bad %s without printing its value", (variable, value) => {
    const error = errorFor({ ...app, [variable]: value });
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(
      new RegExp(`^${variable} is set \\(value hidden, \\d+ characters\\); expected `),
    );
    expect(error.message).not.toContain("hunter2");
  });

  it("rejects a private key that is not a key, without printing it", () => {
    const error = errorFor({ ...app, PRIVATE_KEY: "hunter2-not-a-key" });
    expect(error.variable).toBe("PRIVATE_KEY");
    expect(error.message).not.toContain("hunter2");
    const broken = key.replace(/\n[A-Za-z0-9+/]{20}/, "\nhunter2hunter2hunter2");
    expect(errorFor({ ...app, PRIVATE_KEY: broken }).message).toMatch(
      /^PRIVATE_KEY does not hold a valid private key/,
    );
  });

  it("rejects a PRIVATE_KEY_PATH that does not exist", () => {
    const { PRIVATE_KEY: _, ...withoutKey } = app;
    const error = errorFor({ ...withoutKey, PRIVATE_KEY_PATH: "/nowhere/app.pem" });
    expect(error.variable).toBe("PRIVATE_KEY_PATH");
    expect(error.message).toMatch(
      /^PRIVATE_KEY_PATH is "\/nowhere\/app.pem", which is not a readable file/,
    );
  });

  it.each([
    ["APP_ID", { PRIVATE_KEY: key, WEBHOOK_SECRET: "s", E2B_API_KEY: "e" }],
    ["PRIVATE_KEY", { APP_ID: "1", WEBHOOK_SECRET: "s", E2B_API_KEY: "e" }],
    ["WEBHOOK_SECRET", { APP_ID: "1", PRIVATE_KEY: key, E2B_API_KEY: "e" }],
    ["E2B_API_KEY", { APP_ID: "1", PRIVATE_KEY: key, WEBHOOK_SECRET: "s" }],
  ])("says %s is missing when the rest of the app is configured", (variable, env) => {
    const error = errorFor(env);
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(new RegExp(`^${variable} is not set; it is required for `));
  });
});
