import type { Config } from "../config/read-config.js";

/** How Ship reaches E2B (or a compatible server): `config.sandbox`. */
export type SandboxSettings = Config["sandbox"];

/** The e2b SDK's connection options for these settings (unset ones left to the SDK). */
export function sandboxConnection(settings: SandboxSettings): {
  apiKey?: string;
  apiUrl?: string;
  sandboxUrl?: string;
  domain?: string;
} {
  return {
    ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
    ...(settings.apiUrl ? { apiUrl: settings.apiUrl } : {}),
    ...(settings.sandboxUrl ? { sandboxUrl: settings.sandboxUrl } : {}),
    ...(settings.domain ? { domain: settings.domain } : {}),
  };
}
