import { createPrivateKey } from "node:crypto";
import { getPrivateKey } from "@probot/get-private-key";
import type { z } from "zod";
import { defaultModelPrices, type ModelPrice } from "../gateway/model-prices.js";
import type { Budget } from "./budget.js";
import { ConfigError } from "./config-error.js";
import {
  type EnvVarMeta,
  envSchema,
  type ParsedEnv,
  type providerConfigSchema,
} from "./env-schema.js";

/** The GitHub App's credentials; absent until the app is registered. */
export interface AppCredentials {
  appId: number;
  privateKey: string;
  webhookSecret: string;
}

/** Everything Ship reads from its environment, parsed and checked once. */
export interface Config {
  /** Undefined: no app registered yet, so Probot's setup flow runs instead of Ship. */
  app: AppCredentials | undefined;
  webhookProxyUrl: string | undefined;
  /** REST base URL, e.g. https://api.github.com or http://127.0.0.1:3001/api/v3. */
  githubApiUrl: string;
  /** Web base URL, e.g. https://github.com. */
  githubUrl: string;
  /** Space out writes as GitHub asks (Octokit's throttling). */
  githubThrottle: boolean;
  server: { host: string; port: number };
  /** `format` unset: pretty on a terminal, json otherwise (decided where the lines go). */
  log: { level: ParsedEnv["LOG_LEVEL"]; format: ParsedEnv["LOG_FORMAT"] };
  database: { url: string | undefined; dataDir: string };
  sandbox: {
    apiKey: string | undefined;
    apiUrl: string | undefined;
    sandboxUrl: string | undefined;
    domain: string | undefined;
    template: string;
  };
  model: { default: string; providers: z.output<typeof providerConfigSchema> };
  publicUrl: string;
  /** Encrypts user tokens; a key is generated under SHIP_DATA_DIR when none is set. */
  encryption: { key: Buffer | undefined; previous: Buffer[] };
  /** Signing people in with GitHub: absent until the app's client id and secret are set. */
  oauth: { clientId: string; clientSecret: string } | undefined;
  actAs: "user" | "app";
  /** A requester who never authorized Ship may act as the installer (operator's opt-in). */
  installerStandsIn: boolean;
  /** Bearer token `/metrics` asks for; open when absent. */
  metricsToken: string | undefined;
  /** The label that turns an issue into a task. */
  triggerLabel: string;
  /** SHIP_PAUSED, the kill switch: while set, no new runs start; the text is the reason. */
  paused: string | undefined;
  role: ParsedEnv["SHIP_ROLE"];
  worker: {
    concurrency: number;
    runTimeoutMs: number;
    /** How long OpenCode may take to start answering in a sandbox. */
    agentStartTimeoutMs: number;
    shutdownGraceMs: number;
    /** How often a busy worker proves it is alive. */
    heartbeatMs: number;
  };
  /** The model gateway sandboxes call instead of the providers. */
  gateway: {
    /** Ship's address as sandboxes reach it. */
    url: string;
    prices: Record<string, ModelPrice>;
    /** The operator's budget per run; a repository's `budget:` may only lower it. */
    runBudget: Budget | undefined;
    monthlyBudget: Budget | undefined;
    /** Model calls one run may have in flight at once. */
    callsInFlight: number;
  };
  /** How long run events are kept. */
  eventRetentionMs: number;
}

type EnvSource = Record<string, string | undefined>;

/**
 * Parses Ship's settings from `env` (default `process.env`) and reads the private key.
 * Throws a `ConfigError` naming the first bad variable.
 */
export function readConfig(env: EnvSource = process.env, cwd = process.cwd()): Config {
  // An empty value (`APP_ID=` in a .env copied from .env.example) means "not set".
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ""));
  const parsed = envSchema.safeParse(given);
  if (!parsed.success) {
    throw describeIssue(parsed.error.issues[0], env);
  }
  const e = parsed.data;
  const role = e.SHIP_ROLE;

  const app = readAppCredentials(e, env, cwd);
  if (app && role !== "web" && !e.E2B_API_KEY) {
    throw missing("E2B_API_KEY", "processes that run jobs (SHIP_ROLE all or worker)");
  }

  const githubUrl = e.GHE_HOST ? `${e.GHE_PROTOCOL}://${e.GHE_HOST}` : "https://github.com";
  return {
    app,
    webhookProxyUrl: e.WEBHOOK_PROXY_URL,
    githubApiUrl: e.GHE_HOST ? `${githubUrl}/api/v3` : "https://api.github.com",
    githubUrl,
    githubThrottle: e.SHIP_GITHUB_THROTTLE === "on",
    server: { host: e.HOST, port: e.PORT },
    log: { level: e.LOG_LEVEL, format: e.LOG_FORMAT },
    database: { url: e.DATABASE_URL, dataDir: e.SHIP_DATA_DIR },
    sandbox: {
      apiKey: e.E2B_API_KEY,
      apiUrl: e.E2B_API_URL,
      sandboxUrl: e.E2B_SANDBOX_URL,
      domain: e.E2B_DOMAIN,
      template: e.SHIP_SANDBOX_TEMPLATE,
    },
    model: { default: e.SHIP_MODEL, providers: e.SHIP_PROVIDERS },
    gateway: {
      url: (e.SHIP_GATEWAY_URL ?? e.SHIP_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(
        /\/+$/,
        "",
      ),
      prices: { ...defaultModelPrices, ...e.SHIP_MODEL_PRICES },
      runBudget: e.SHIP_RUN_BUDGET,
      monthlyBudget: e.SHIP_REPO_MONTHLY_BUDGET,
      callsInFlight: e.SHIP_GATEWAY_CALLS_IN_FLIGHT,
    },
    publicUrl: (e.SHIP_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ""),
    encryption: { key: e.SHIP_ENCRYPTION_KEY, previous: e.SHIP_ENCRYPTION_KEYS_PREVIOUS ?? [] },
    oauth:
      e.GITHUB_CLIENT_ID && e.GITHUB_CLIENT_SECRET
        ? { clientId: e.GITHUB_CLIENT_ID, clientSecret: e.GITHUB_CLIENT_SECRET }
        : undefined,
    actAs: e.SHIP_ACT_AS,
    installerStandsIn: e.SHIP_INSTALLER_STANDS_IN === "on",
    metricsToken: e.SHIP_METRICS_TOKEN,
    triggerLabel: e.SHIP_TRIGGER_LABEL,
    paused: e.SHIP_PAUSED,
    role,
    worker: {
      concurrency: e.SHIP_WORKER_CONCURRENCY,
      runTimeoutMs: e.SHIP_RUN_TIMEOUT,
      agentStartTimeoutMs: e.SHIP_AGENT_START_TIMEOUT,
      shutdownGraceMs: e.SHIP_SHUTDOWN_GRACE,
      heartbeatMs: e.SHIP_WORKER_HEARTBEAT,
    },
    eventRetentionMs: e.SHIP_EVENT_RETENTION,
  };
}

function readAppCredentials(e: ParsedEnv, env: EnvSource, cwd: string): AppCredentials | undefined {
  let privateKey: string | null;
  try {
    privateKey = getPrivateKey({ env: env as NodeJS.ProcessEnv, cwd });
  } catch {
    throw env.PRIVATE_KEY
      ? new ConfigError(
          "PRIVATE_KEY",
          "PRIVATE_KEY is set but is not a PEM private key; expected the contents of the .pem file GitHub gave you (newlines as \\n, or base64).",
        )
      : new ConfigError(
          "PRIVATE_KEY_PATH",
          `PRIVATE_KEY_PATH is "${env.PRIVATE_KEY_PATH}", which is not a readable file; expected the path of the GitHub App's .pem file.`,
        );
  }
  if (privateKey !== null) {
    try {
      createPrivateKey(privateKey);
    } catch {
      const variable = env.PRIVATE_KEY ? "PRIVATE_KEY" : "PRIVATE_KEY_PATH";
      throw new ConfigError(
        variable,
        `${variable} does not hold a valid private key; expected the PEM private key GitHub gave you for the app.`,
      );
    }
  }
  if (e.APP_ID === undefined && privateKey === null) return undefined;
  if (e.APP_ID === undefined) throw missing("APP_ID", "a GitHub App (a private key is set)");
  if (privateKey === null)
    throw missing("PRIVATE_KEY", "a GitHub App (APP_ID is set); or set PRIVATE_KEY_PATH");
  if (!e.WEBHOOK_SECRET)
    throw missing("WEBHOOK_SECRET", "a GitHub App, to verify webhook signatures");
  return { appId: e.APP_ID, privateKey, webhookSecret: e.WEBHOOK_SECRET };
}

function missing(variable: string, neededBy: string): ConfigError {
  const meta = metaOf(variable);
  return new ConfigError(
    variable,
    `${variable} is not set; it is required for ${neededBy}. Expected ${meta?.expected ?? "a value"}.`,
  );
}

function describeIssue(issue: z.core.$ZodIssue | undefined, env: EnvSource): ConfigError {
  const variable = String(issue?.path[0] ?? "configuration");
  const meta = metaOf(variable);
  const raw = env[variable];
  const got = meta?.secret ? `set (value hidden, ${raw?.length ?? 0} characters)` : `"${raw}"`;
  return new ConfigError(
    variable,
    `${variable} is ${got}; expected ${meta?.expected ?? issue?.message}.`,
  );
}

function metaOf(variable: string): EnvVarMeta | undefined {
  const field = envSchema.shape[variable as keyof typeof envSchema.shape];
  return field?.meta() as EnvVarMeta | undefined;
}
