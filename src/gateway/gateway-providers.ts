/** A provider as Ship's `SHIP_PROVIDERS` gives it (OpenCode's `provider` shape). */
export type ProviderConfig = Readonly<Record<string, unknown>>;

/** Where and how the gateway forwards one provider's calls. */
export interface Upstream {
  /** The provider's API base, e.g. `https://api.anthropic.com/v1`; the client's path follows it. */
  baseUrl: string;
  apiKey: string | undefined;
  /** Extra headers the operator configured (`options.headers`). */
  headers: Record<string, string>;
  /** How the key is sent: Anthropic's `x-api-key`, or OpenAI's bearer token. */
  protocol: "anthropic" | "openai";
}

const knownBases: Record<string, string> = {
  anthropic: "https://api.anthropic.com/v1",
  openai: "https://api.openai.com/v1",
};

function protocolOf(
  providerId: string,
  provider: ProviderConfig | undefined,
): Upstream["protocol"] {
  const npm = typeof provider?.npm === "string" ? provider.npm : "";
  return npm === "@ai-sdk/anthropic" || (npm === "" && providerId === "anthropic")
    ? "anthropic"
    : "openai";
}

/**
 * The provider's real endpoint and key, which stay in Ship. Undefined when there is
 * nowhere to forward to (no `options.baseURL` and not a provider Ship knows).
 */
export function upstreamOf(
  providers: Readonly<Record<string, ProviderConfig>>,
  providerId: string,
): Upstream | undefined {
  // Own keys only: `__proto__` or `constructor` must not find Object's members.
  const provider = Object.hasOwn(providers, providerId) ? providers[providerId] : undefined;
  const options = (provider?.options ?? {}) as Record<string, unknown>;
  const known = Object.hasOwn(knownBases, providerId) ? knownBases[providerId] : undefined;
  const baseUrl = typeof options.baseURL === "string" ? options.baseURL : known;
  if (!baseUrl) return undefined;
  const headers = Object.fromEntries(
    Object.entries((options.headers ?? {}) as Record<string, unknown>).filter(
      (entry): entry is [string, string] => typeof entry[1] === "string",
    ),
  );
  return {
    baseUrl: baseUrl.replace(/\/+$/, ""),
    apiKey: typeof options.apiKey === "string" ? options.apiKey : undefined,
    headers,
    protocol: protocolOf(providerId, provider),
  };
}

/**
 * The providers as the sandbox sees them: each one's `baseURL` is the run's gateway
 * address (`<runBase>/<provider id>`) and its `apiKey` the run's token. The real key,
 * the real endpoint and any configured headers are left out.
 */
export function sandboxProviders(
  providers: Readonly<Record<string, ProviderConfig>>,
  providerIds: readonly string[],
  gateway: { runBase: string; token: string },
): Record<string, ProviderConfig> {
  return Object.fromEntries(
    providerIds.map((id) => {
      const provider = (Object.hasOwn(providers, id) ? providers[id] : undefined) ?? {};
      const {
        apiKey: _key,
        headers: _headers,
        baseURL: _base,
        ...options
      } = (provider.options ?? {}) as Record<string, unknown>;
      return [
        id,
        {
          ...provider,
          options: { ...options, baseURL: `${gateway.runBase}/${id}`, apiKey: gateway.token },
        },
      ];
    }),
  );
}
