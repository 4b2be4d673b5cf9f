import { type Logger, pino } from "pino";
import pinoPretty from "pino-pretty";
import type { Config } from "../config/read-config.js";
import { createSecretScrubber } from "./create-secret-scrubber.js";
import { serializeError } from "./serialize-error.js";

/** Field names whose values never reach a log line, wherever they are nested. */
const redactedKeys = [
  "token",
  "accessToken",
  "access_token",
  "refreshToken",
  "refresh_token",
  "privateKey",
  "apiKey",
  "password",
  "secret",
  "authorization",
  "cookie",
];

/**
 * The one pino logger of a process; Probot and every part of Ship log through it
 * (children add `name`), so a deployment configures logging in one place. Without a
 * `format`, lines are pretty on a terminal and JSON anywhere else.
 * `secrets` (see `listConfigSecrets`) are scrubbed by value from each finished line, as are
 * token-shaped strings: key-name redaction cannot see a secret quoted inside a message.
 */
export function createLogger(
  options: Config["log"] & { secrets?: readonly string[] },
  destination?: NodeJS.WritableStream,
): Logger {
  // Errors from HTTP clients carry their whole request (client secrets, refresh tokens,
  // codes in bodies and headers): log what went wrong, never what was sent.
  const serializers = { err: serializeError };
  const redact = {
    paths: redactedKeys.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `req.headers.${key}`]),
    censor: "[redacted]",
  };
  // The whole JSON line, before any transport or pretty-printer sees it: every depth,
  // every field, the message and error stacks alike.
  const hooks = { streamWrite: createSecretScrubber(options.secrets ?? []) };
  const settings = { level: options.level, redact, serializers, hooks };
  // A person at a terminal reads lines; a collector parses them. LOG_FORMAT wins.
  const terminal = (destination ?? process.stdout) as { isTTY?: boolean };
  const format = options.format ?? (terminal.isTTY ? "pretty" : "json");
  if (format === "pretty") {
    const stream = pinoPretty({ sync: true, destination: destination ?? 1 });
    return pino(settings, stream);
  }
  return destination ? pino(settings, destination) : pino(settings);
}
