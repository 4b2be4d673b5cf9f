import type { EventSessionError } from "@opencode-ai/sdk/v2";

/**
 * Why a run's agent failed, in terms a user can act on:
 * - `provider_rejected`: the model provider refused the request (bad request, unknown
 *   model, content filter). Retrying as-is fails again; the model or its settings
 *   must change.
 * - `provider_auth`: the provider did not accept Ship's credentials (401/403).
 * - `provider_unavailable`: rate limited, overloaded or unreachable, still so after
 *   OpenCode's own retries (429, 5xx, connection errors). Worth retrying later.
 * - `agent_failed`: anything else that went wrong in OpenCode or the agent.
 * - `aborted`: the run was stopped (cancelled, or its time ran out).
 */
export type AgentErrorCategory =
  | "provider_rejected"
  | "provider_auth"
  | "provider_unavailable"
  | "agent_failed"
  | "aborted";

/** A failed run's error. `message` is the detail as the provider or OpenCode gave it. */
export interface AgentError {
  category: AgentErrorCategory;
  message: string;
  retryable: boolean;
  /** The provider's HTTP status, when the failure was an HTTP answer. */
  statusCode?: number;
}

/** The error OpenCode attaches to `session.error` and to a failed assistant message. */
export type OpencodeSessionError = NonNullable<EventSessionError["properties"]["error"]>;

/**
 * Maps the error OpenCode reports for a session (opencode 1.18.33) to a category.
 * OpenCode has already retried what it considers transient (5 retries with backoff,
 * honouring `retry-after`), so an `APIError` here is final.
 */
export function classifyAgentError(error: OpencodeSessionError | undefined): AgentError {
  if (!error) {
    return {
      category: "agent_failed",
      message: "OpenCode reported an error without details",
      retryable: false,
    };
  }
  const message = messageOf(error);
  switch (error.name) {
    case "APIError": {
      const { statusCode, isRetryable } = error.data;
      const withStatus = statusCode === undefined ? {} : { statusCode };
      if (statusCode === 401 || statusCode === 403) {
        return { category: "provider_auth", message, retryable: false, ...withStatus };
      }
      if (
        isRetryable ||
        statusCode === undefined ||
        statusCode === 408 ||
        statusCode === 429 ||
        statusCode >= 500
      ) {
        return { category: "provider_unavailable", message, retryable: true, ...withStatus };
      }
      return { category: "provider_rejected", message, retryable: false, ...withStatus };
    }
    case "ProviderAuthError":
      return { category: "provider_auth", message, retryable: false };
    case "ContentFilterError":
      return { category: "provider_rejected", message, retryable: false };
    case "MessageAbortedError":
      return { category: "aborted", message, retryable: false };
    case "UnknownError":
      // OpenCode checks the model against its config before calling the provider.
      if (/^(ProviderModelNotFoundError: )?Model not found:/.test(message)) {
        return { category: "provider_rejected", message, retryable: false };
      }
      return { category: "agent_failed", message, retryable: false };
    default:
      // ContextOverflowError, MessageOutputLengthError, StructuredOutputError, newer ones.
      return { category: "agent_failed", message: `${error.name}: ${message}`, retryable: false };
  }
}

function messageOf(error: OpencodeSessionError): string {
  const data = error.data as { message?: unknown };
  const text =
    typeof data.message === "string" && data.message.trim() !== "" ? data.message : error.name;
  // An UnknownError may carry a whole stack trace; its first line says what happened.
  return text.split("\n")[0]?.trim() ?? text;
}
