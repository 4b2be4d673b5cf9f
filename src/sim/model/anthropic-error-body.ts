/** Anthropic's error types by HTTP status (its API reference, "Errors"). */
const types: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  402: "billing_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  500: "api_error",
  504: "timeout_error",
  529: "overloaded_error",
};

/**
 * Anthropic's error body, `{ type: "error", error: { type, message } }`, which
 * `@ai-sdk/anthropic` parses for the message OpenCode shows. Statuses Anthropic does
 * not list are `api_error` (5xx) or `invalid_request_error`.
 */
export function anthropicErrorBody(status: number, message: string): object {
  const type = types[status] ?? (status >= 500 ? "api_error" : "invalid_request_error");
  return { type: "error", error: { type, message } };
}
