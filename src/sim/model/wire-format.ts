import type { AnswerHeader } from "./answer-header.js";
import type { ModelRequest } from "./model-request.js";
import type { Completion } from "./to-completion.js";

/** One server-sent event: the `event:` name (chat completions send none) and its data. */
export interface SseEvent {
  event?: string;
  data: object | "[DONE]";
}

/** The endpoints the model sim answers, named after their paths. */
export type ModelProtocol = "chat" | "responses" | "messages";

/**
 * How one provider API reads a request and writes an answer: OpenAI chat completions,
 * the OpenAI Responses API, or Anthropic Messages. Scripts know nothing of these.
 */
export interface WireFormat {
  protocol: ModelProtocol;
  /** How the provider's answer ids begin, e.g. `resp_`. */
  idPrefix: string;
  /** The request, or why the provider would refuse it with a 400. */
  read(body: unknown): ModelRequest | { invalid: string };
  /** A non-streamed answer. */
  body(completion: Completion, header: AnswerHeader, request: ModelRequest): object;
  /** A streamed answer, every event in order, the terminating one included. */
  events(completion: Completion, header: AnswerHeader, request: ModelRequest): SseEvent[];
  /** An event that carries a piece of the answer's text (where a stalled stream stops). */
  isTextDelta(event: SseEvent): boolean;
  /** The provider's error body for an HTTP error. */
  error(status: number, message: string): object;
}
