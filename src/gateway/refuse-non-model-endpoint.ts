import type { Upstream } from "./gateway-providers.js";
import type { ModelCallRefusal } from "./model-call-refusal.js";

/**
 * The only calls the gateway forwards, per protocol, as paths under the provider's
 * base URL. Everything else a provider's key can do (files, batches, fine-tunes,
 * models lists, admin endpoints) stays out of the sandbox's reach; OpenCode itself
 * calls nothing else (the contract and end-to-end model tests show its traffic).
 */
const modelEndpoints: Record<Upstream["protocol"], ReadonlySet<string>> = {
  openai: new Set(["/chat/completions", "/responses"]),
  anthropic: new Set(["/messages", "/messages/count_tokens"]),
};

/** Refuses anything but a `POST` to one of the protocol's model endpoints. */
export function refuseNonModelEndpoint(
  method: string,
  path: string,
  protocol: Upstream["protocol"],
): ModelCallRefusal | undefined {
  const endpoints = modelEndpoints[protocol];
  if (!endpoints.has(path)) {
    return {
      status: 404,
      type: "not_found_error",
      message: `Ship's gateway forwards only model calls: POST ${[...endpoints].join(" or ")}; not ${path}.`,
    };
  }
  if (method !== "POST") {
    return {
      status: 405,
      type: "invalid_request_error",
      message: `Ship's gateway forwards only POST to ${path}; not ${method}.`,
    };
  }
  return undefined;
}
