import { type Logger, pino } from "pino";
import pinoPretty from "pino-pretty";
import type { Config } from "../config/read-config.js";
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
 * (children add `name`), so a deployment configures logging in one place.
 */
export function createLogger(options: Config["log"], destination?: NodeJS.WritableStream): Logger {
  // Errors from HTTP clients carry their whole request (client secrets, refresh tokens,
  // codes in bodies and headers): log what went wrong, never what was sent.
  const serializers = { err: serializeError };
  const redact = {
    paths: redactedKeys.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `req.headers.${key}`]),
    censor: "[redacted]",
  };
  if (options.format === "pretty") {
    const stream = pinoPretty({ sync: true, destination: destination ?? 1 });
    return pino({ level: options.level, redact, serializers }, stream);
  }
  return destination
    ? pino({ level: options.level, redact, serializers }, destination)
    : pino({ level: options.level, redact, serializers });
}
