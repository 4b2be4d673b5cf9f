import type { Config } from "../config/read-config.js";

/** Option names in SHIP_PROVIDERS whose values are credentials (apiKey, authToken, x-api-key...). */
const credentialName = /key|token|secret|password|auth/i;

/**
 * Every secret value Ship's settings hold, as text that could appear in a log line: the
 * webhook secret, the private key, the OAuth client secret, the encryption keys (hex and
 * base64, either may have been typed), provider credentials in SHIP_PROVIDERS, the E2B key,
 * the metrics token, the database password and the webhook proxy (smee) channel URL, which
 * hands every signed delivery to whoever knows it. The logger scrubs these by value, because a
 * secret quoted inside an error message or a URL carries no key name to redact it by.
 */
export function listConfigSecrets(config: Config): string[] {
  const secrets: Array<string | undefined> = [
    config.app?.webhookSecret,
    config.app?.privateKey,
    config.oauth?.clientSecret,
    config.sandbox.apiKey,
    config.metricsToken,
    readDatabasePassword(config.database.url),
    config.webhookProxyUrl,
  ];
  // PRIVATE_KEY may have been given base64-encoded.
  if (config.app) secrets.push(Buffer.from(config.app.privateKey).toString("base64"));
  for (const key of [config.encryption.key, ...config.encryption.previous]) {
    if (key) secrets.push(key.toString("hex"), key.toString("base64"));
  }
  for (const provider of Object.values(config.model.providers)) {
    collectCredentials(provider.options, false, secrets);
  }
  return [...new Set(secrets.filter((secret): secret is string => Boolean(secret)))];
}

/** Strings under a credential-looking name (or anywhere under `headers`), at any depth. */
function collectCredentials(
  value: unknown,
  underCredential: boolean,
  into: Array<string | undefined>,
): void {
  if (typeof value === "string") {
    if (underCredential) into.push(value);
    return;
  }
  if (typeof value !== "object" || value === null) return;
  for (const [name, inner] of Object.entries(value)) {
    collectCredentials(
      inner,
      underCredential || credentialName.test(name) || name === "headers",
      into,
    );
  }
}

function readDatabasePassword(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const password = new URL(url).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}
