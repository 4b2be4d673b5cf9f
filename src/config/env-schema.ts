import { z } from "zod";
import { modelPriceSchema } from "../gateway/model-prices.js";
import { budgetSchema } from "./budget.js";

/**
 * What each variable is for, what a valid value looks like, and whether its value
 * may be printed. `readConfig` uses this to name the variable, what it got and what it
 * expects in one line; the docs are generated from the same place.
 */
export interface EnvVarMeta {
  /** One sentence: what the variable controls. */
  description: string;
  /** What a valid value looks like, phrased to follow "expected". */
  expected: string;
  /** Never echo the value in errors or logs. */
  secret?: boolean;
  /** The default as a person would write it (durations as "30m"); absent when none. */
  default?: string;
  /** Documentation group. */
  group: "GitHub App" | "Server" | "Database" | "Sandbox (E2B)" | "Model" | "Ship";
}

const durationPattern = /^(\d+)(ms|s|m|h|d)?$/;
const durationUnits = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "90s", "30m", "1h", "7d", "500ms" or plain seconds ("1800"), as milliseconds. */
const duration = z
  .string()
  .trim()
  .regex(durationPattern)
  .transform((value) => {
    const [, amount, unit] = durationPattern.exec(value) ?? [];
    return Number(amount) * durationUnits[(unit ?? "s") as keyof typeof durationUnits];
  });

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

const optionalUrl = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .pipe(z.url({ protocol: /^https?$/ }).optional())
  .optional();

/** A model named as OpenCode names it: `provider/model` (the model part may contain `/`). */
export const modelIdPattern = /^[a-z0-9][a-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._:/-]*$/;

/**
 * OpenCode's own provider-config shape (`provider` in opencode.json), so a provider that
 * works with OpenCode works with Ship unchanged.
 */
export const providerConfigSchema = z.record(
  z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
  z.looseObject({
    npm: z.string().optional(),
    name: z.string().optional(),
    options: z.record(z.string(), z.unknown()).optional(),
    models: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  }),
);

/** A setting holding a JSON object ("" counts as {}), checked against `schema`. */
function jsonSetting<T extends z.ZodType>(schema: T) {
  return z
    .string()
    .trim()
    .transform((value, ctx) => {
      if (value === "") return {};
      try {
        return JSON.parse(value) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "not JSON" });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

const providersJson = jsonSetting(providerConfigSchema);
const pricesJson = jsonSetting(z.record(z.string().min(1), modelPriceSchema));

const encryptionKey = z
  .string()
  .trim()
  .transform((value, ctx) => {
    if (value === "") return undefined;
    const key = /^[0-9a-f]{64}$/i.test(value)
      ? Buffer.from(value, "hex")
      : Buffer.from(value, "base64");
    if (key.length !== 32) {
      ctx.addIssue({ code: "custom", message: "not 32 bytes" });
      return z.NEVER;
    }
    return key;
  })
  .optional();

/**
 * Every environment variable Ship reads. Parsed once, at start-up, by `readConfig`.
 * No schema here has side effects: files (the private key) are read afterwards.
 */
export const envSchema = z.object({
  APP_ID: z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .meta({
      group: "GitHub App",
      description:
        "The GitHub App's id. Without it (and a private key) `npm start` opens Probot's register-the-app flow.",
      expected: "a positive integer, e.g. 123456",
    } satisfies EnvVarMeta),
  PRIVATE_KEY: optionalText.meta({
    group: "GitHub App",
    description:
      "The GitHub App's private key (PEM, newlines as \\n, or base64). Alternative to PRIVATE_KEY_PATH.",
    expected: "a PEM private key",
    secret: true,
  } satisfies EnvVarMeta),
  PRIVATE_KEY_PATH: optionalText.meta({
    group: "GitHub App",
    description: "Path to the GitHub App's private key file (.pem).",
    expected: "the path of a readable .pem file",
  } satisfies EnvVarMeta),
  WEBHOOK_SECRET: optionalText.meta({
    group: "GitHub App",
    description:
      "The webhook secret set in the GitHub App's settings; every delivery's signature is checked with it.",
    expected: "a non-empty string",
    secret: true,
  } satisfies EnvVarMeta),
  WEBHOOK_PROXY_URL: optionalUrl.meta({
    group: "GitHub App",
    description:
      "A smee.io channel that forwards GitHub's webhooks to this machine (development only).",
    expected: "an http(s) URL, e.g. https://smee.io/abc123",
  } satisfies EnvVarMeta),
  GITHUB_CLIENT_ID: optionalText.meta({
    group: "GitHub App",
    description:
      "The GitHub App's client id, for signing people in (acting as them, retry links). The register-the-app flow writes it.",
    expected: "the app's client id (Iv1... or Iv23...)",
  } satisfies EnvVarMeta),
  GITHUB_CLIENT_SECRET: optionalText.meta({
    group: "GitHub App",
    description: "The GitHub App's client secret, paired with GITHUB_CLIENT_ID.",
    expected: "the app's client secret",
    secret: true,
  } satisfies EnvVarMeta),
  GHE_HOST: optionalText
    .pipe(
      z
        .string()
        .regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/)
        .optional(),
    )
    .meta({
      group: "GitHub App",
      description:
        "Host (and port) of a GitHub Enterprise Server, or of the local GitHub stand-in. Unset means github.com.",
      expected: "a host name with an optional port, e.g. github.example.com or 127.0.0.1:3001",
    } satisfies EnvVarMeta),
  GHE_PROTOCOL: z
    .enum(["https", "http"])
    .default("https")
    .meta({
      default: "https",
      group: "GitHub App",
      description: "Protocol used to reach GHE_HOST.",
      expected: "https or http",
    } satisfies EnvVarMeta),
  PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(3000)
    .meta({
      default: "3000",
      group: "Server",
      description: "Port of Ship's web server (webhooks, health, run pages). 0 picks a free port.",
      expected: "an integer from 0 to 65535",
    } satisfies EnvVarMeta),
  HOST: z
    .string()
    .trim()
    .min(1)
    .default("localhost")
    .meta({
      default: "localhost",
      group: "Server",
      description: "Address the web server listens on; use 0.0.0.0 in a container.",
      expected: "a host name or IP address",
    } satisfies EnvVarMeta),
  LOG_LEVEL: z
    .enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"])
    .default("info")
    .meta({
      default: "info",
      group: "Server",
      description: "How much Ship logs.",
      expected: "one of trace, debug, info, warn, error, fatal, silent",
    } satisfies EnvVarMeta),
  LOG_FORMAT: z
    .enum(["json", "pretty"])
    .optional()
    .meta({
      group: "Server",
      description:
        "json for log collectors, pretty for reading in a terminal. Unset: pretty when standard output is a terminal (`npm start` in a shell), json otherwise (a container, a pipe, a file).",
      expected: "json or pretty",
    } satisfies EnvVarMeta),
  DATABASE_URL: optionalText
    .pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//)
        .optional(),
    )
    .meta({
      group: "Database",
      description:
        "PostgreSQL connection URL. Unset: Ship starts an embedded PostgreSQL under SHIP_DATA_DIR.",
      expected: "a postgres:// or postgresql:// URL",
      secret: true,
    } satisfies EnvVarMeta),
  SHIP_DATA_DIR: z
    .string()
    .trim()
    .min(1)
    .default(".ship")
    .meta({
      default: ".ship",
      group: "Database",
      description: "Where Ship keeps local state: the embedded database lives in <dir>/postgres.",
      expected: "a directory path",
    } satisfies EnvVarMeta),
  E2B_API_KEY: optionalText.meta({
    group: "Sandbox (E2B)",
    description: "E2B API key; required by processes that run jobs (SHIP_ROLE all or worker).",
    expected: "your E2B API key (e2b_...)",
    secret: true,
  } satisfies EnvVarMeta),
  E2B_API_URL: optionalUrl.meta({
    group: "Sandbox (E2B)",
    description: "E2B control-plane URL. Unset: E2B's cloud.",
    expected: "an http(s) URL",
  } satisfies EnvVarMeta),
  E2B_SANDBOX_URL: optionalUrl.meta({
    group: "Sandbox (E2B)",
    description: "One URL through which every sandbox's envd is reached. Unset: E2B's routing.",
    expected: "an http(s) URL",
  } satisfies EnvVarMeta),
  E2B_DOMAIN: optionalText.meta({
    group: "Sandbox (E2B)",
    description: "E2B domain for self-hosted E2B. Unset: e2b.app.",
    expected: "a domain name",
  } satisfies EnvVarMeta),
  SHIP_SANDBOX_TEMPLATE: z
    .string()
    .trim()
    .min(1)
    .default("ship-opencode")
    .meta({
      default: "ship-opencode",
      group: "Sandbox (E2B)",
      description: "E2B template id or name that sandboxes are created from.",
      expected: "a template id or name",
    } satisfies EnvVarMeta),
  SHIP_GITHUB_THROTTLE: z
    .enum(["on", "off"])
    .default("on")
    .meta({
      group: "GitHub App",
      default: "on",
      description:
        "Space out writes to GitHub as GitHub asks (about one per second). Off only for a GitHub Enterprise Server without secondary rate limits, or the local stand-in. Either way, rate-limit answers (429, 403 with retry-after, an exhausted limit resetting within a minute) are waited out.",
      expected: "on or off",
    } satisfies EnvVarMeta),
  SHIP_MODEL: z
    .string()
    .trim()
    .regex(modelIdPattern)
    .default("anthropic/claude-sonnet-4-5")
    .meta({
      default: "anthropic/claude-sonnet-4-5",
      group: "Model",
      description: "Default model for runs, as OpenCode names it.",
      expected: "provider/model, e.g. anthropic/claude-sonnet-4-5",
    } satisfies EnvVarMeta),
  SHIP_PROVIDERS: providersJson.default({}).meta({
    group: "Model",
    description:
      'Provider settings in OpenCode\'s own `provider` config shape, as JSON, e.g. {"anthropic":{"options":{"apiKey":"..."}}}.',
    expected: "a JSON object of provider id -> {npm?, name?, options?, models?}",
    secret: true,
  } satisfies EnvVarMeta),
  SHIP_MODEL_PRICES: pricesJson.default({}).meta({
    group: "Model",
    description:
      'Model prices in US dollars per million tokens, added to Ship\'s defaults for common models, e.g. {"my-model":{"input":1,"output":4,"cacheRead":0.1}}. Keys: the model id as sent to the provider, provider/model, or provider/* for every model of a provider. Under a budget in dollars, a model without a price is refused.',
    expected: "a JSON object of model -> {input, output, cacheRead?, cacheWrite?}",
  } satisfies EnvVarMeta),
  SHIP_RUN_BUDGET: budgetSchema.default({ kind: "usd", amount: 10 }).meta({
    default: "$10",
    group: "Model",
    description:
      "What one run may spend on its model, in dollars or tokens; a repository's `budget:` in .github/ship.yml may only lower it. When it is reached the run stops, keeps its work as a checkpoint commit, and `/ship retry` continues it.",
    expected: "a budget such as $10, $0.50 or 300k tokens",
  } satisfies EnvVarMeta),
  SHIP_REPO_MONTHLY_BUDGET: budgetSchema.default({ kind: "usd", amount: 200 }).meta({
    default: "$200",
    group: "Model",
    description:
      "What all runs of one repository may spend on models in a calendar month (UTC). When it is reached, model calls are refused until the month ends.",
    expected: "a budget such as $200 or 50m tokens",
  } satisfies EnvVarMeta),
  SHIP_GATEWAY_CALLS_IN_FLIGHT: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(4)
    .meta({
      default: "4",
      group: "Model",
      description:
        "How many model calls one run may have in flight at once; more wait for their turn (429 after 60 s). Together with the spend reserved per call, this bounds how far parallel calls can go past a budget.",
      expected: "an integer from 1 to 64",
    } satisfies EnvVarMeta),
  SHIP_GATEWAY_URL: optionalUrl.meta({
    group: "Model",
    description:
      "Where sandboxes reach Ship's model gateway (/llm/...). Default SHIP_PUBLIC_URL; it must be reachable from the sandboxes.",
    expected: "an http(s) URL",
  } satisfies EnvVarMeta),
  SHIP_PUBLIC_URL: optionalUrl.meta({
    group: "Ship",
    description:
      "The URL people and GitHub reach Ship at (links in comments, OAuth callback). Default http://localhost:PORT.",
    expected: "an http(s) URL",
  } satisfies EnvVarMeta),
  SHIP_ENCRYPTION_KEY: encryptionKey.meta({
    group: "Ship",
    description:
      "32-byte key (64 hex characters or base64) that encrypts user tokens at rest. Generate: openssl rand -hex 32.",
    expected: "32 bytes as 64 hex characters or base64",
    secret: true,
  } satisfies EnvVarMeta),
  SHIP_ENCRYPTION_KEYS_PREVIOUS: z
    .string()
    .trim()
    .transform((value, ctx) => {
      const keys = value
        .split(",")
        .map((part) => part.trim())
        .filter(Boolean)
        .map((part) =>
          /^[0-9a-f]{64}$/i.test(part) ? Buffer.from(part, "hex") : Buffer.from(part, "base64"),
        );
      if (keys.some((key) => key.length !== 32)) {
        ctx.addIssue({ code: "custom", message: "not 32 bytes" });
        return z.NEVER;
      }
      return keys;
    })
    .optional()
    .meta({
      group: "Ship",
      description:
        "Earlier encryption keys, comma-separated: tokens they encrypted are still read, and re-encrypted with the current key on next use.",
      expected: "comma-separated 32-byte keys (hex or base64)",
      secret: true,
    } satisfies EnvVarMeta),
  SHIP_ACT_AS: z
    .enum(["user", "app"])
    .default("user")
    .meta({
      group: "Ship",
      default: "user",
      description:
        "Whom runs act as: user (the requester, once they have authorized Ship; see SHIP_INSTALLER_STANDS_IN) or app (Ship's bot).",
      expected: "user or app",
    } satisfies EnvVarMeta),
  SHIP_INSTALLER_STANDS_IN: z
    .enum(["on", "off"])
    .default("off")
    .meta({
      group: "Ship",
      default: "off",
      description:
        "With SHIP_ACT_AS=user, whether a requester who has not authorized Ship may act with the rights of the person who installed the app (on), or is asked to authorize first (off). Turn it on only if the installer agrees: every writer then pushes and opens pull requests as them.",
      expected: "on or off",
    } satisfies EnvVarMeta),
  SHIP_PAUSED: optionalText.meta({
    group: "Ship",
    description:
      'The kill switch: while set, Ship starts no new runs in any repository and answers each request with this text as the reason (e.g. "maintenance until 14:00 UTC"). Runs already going finish; thread commands (status, cancel) still work. Unset: Ship runs.',
    expected: "a short reason, or unset",
  } satisfies EnvVarMeta),
  SHIP_TRIGGER_LABEL: z
    .string()
    .trim()
    .min(1)
    .max(50)
    .default("ship")
    .meta({
      group: "Ship",
      default: "ship",
      description: "Adding this label to an issue starts a run whose task is the issue.",
      expected: "a label name of 1 to 50 characters",
    } satisfies EnvVarMeta),
  SHIP_ROLE: z
    .enum(["all", "web", "worker"])
    .default("all")
    .meta({
      default: "all",
      group: "Ship",
      description:
        "What this process runs: all (web + worker), web (webhooks and pages), worker (jobs; its HTTP port serves only /healthz, /readyz and /metrics).",
      expected: "all, web or worker",
    } satisfies EnvVarMeta),
  SHIP_WORKER_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(5)
    .meta({
      default: "5",
      group: "Ship",
      description: "How many runs one worker process carries at once.",
      expected: "an integer from 1 to 100",
    } satisfies EnvVarMeta),
  SHIP_RUN_TIMEOUT: duration.default(30 * 60_000).meta({
    default: "30m",
    group: "Ship",
    description: "Longest a run may take before it is stopped and its sandbox killed.",
    expected: "a duration such as 1800, 90s, 30m or 1h",
  } satisfies EnvVarMeta),
  SHIP_AGENT_START_TIMEOUT: duration.default(60_000).meta({
    default: "60s",
    group: "Ship",
    description:
      "How long OpenCode may take to start answering in a new sandbox. A start that takes longer is tried again (3 tries in all), then the run fails with `agent_start`.",
    expected: "a duration such as 60s or 2m",
  } satisfies EnvVarMeta),
  SHIP_SHUTDOWN_GRACE: duration.default(8_000).meta({
    default: "8s",
    group: "Ship",
    description:
      "On SIGTERM, how long running jobs get to finish before they are aborted and their runs marked interrupted.",
    expected: "a duration such as 8s or 500ms",
  } satisfies EnvVarMeta),
  SHIP_WORKER_HEARTBEAT: duration
    .default(30_000)
    .refine((ms) => ms >= 10_000 && ms % 1_000 === 0)
    .meta({
      default: "30s",
      group: "Ship",
      description:
        "How often a worker running a job proves it is alive. If a worker dies (crash, kill -9, lost machine), another one picks up its runs after at most about twice this.",
      expected: "a whole number of seconds, at least 10s, such as 30s or 1m",
    } satisfies EnvVarMeta),
  SHIP_METRICS_TOKEN: optionalText.meta({
    group: "Ship",
    description:
      "When set, `/metrics` answers only requests with `Authorization: Bearer <this token>` (401 otherwise). Unset: `/metrics` is open, so keep the port private.",
    expected: "a non-empty string",
    secret: true,
  } satisfies EnvVarMeta),
  SHIP_EVENT_RETENTION: duration.default(7 * 86_400_000).meta({
    default: "7d",
    group: "Ship",
    description:
      "How long each run's event log (the agent's messages and tool calls on the run page) is kept; older events are deleted every hour. Runs themselves are kept.",
    expected: "a duration such as 7d, 36h or 90m",
  } satisfies EnvVarMeta),
});

export type Env = z.input<typeof envSchema>;
export type ParsedEnv = z.output<typeof envSchema>;
