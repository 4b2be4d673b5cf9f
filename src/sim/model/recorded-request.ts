import type { IncomingHttpHeaders } from "node:http";
import type { ModelProtocol } from "./wire-format.js";

/**
 * One request the model server received. The record is live: `status`, `endedAt`
 * and `abortedByClient` are filled in as the response goes out, so a stalled request
 * shows up at once and learns later that the client went away.
 */
export interface RecordedRequest {
  /** Arrival order, from 0. */
  seq: number;
  method: string;
  /** Path and query, e.g. `/v1/chat/completions`. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The JSON body parsed, the raw text if it is not JSON, undefined if empty. */
  body: unknown;
  /** `Date.now()` when the body had been read. */
  receivedAt: number;
  /**
   * `turn`: a turn of a conversation, answered from a script. `title`, `compaction`,
   * `summary`: OpenCode's side requests, answered without touching any script.
   * `models`: `GET /v1/models`. `invalid`: a model request the sim refused (400).
   * `other`: any other path (404).
   */
  kind: "turn" | "title" | "compaction" | "summary" | "models" | "invalid" | "other";
  /** For a model request: which API it called (chat completions, Responses, Messages). */
  protocol?: ModelProtocol;
  /** The requested model; for a turn, also the script's name unless it fell back. */
  model?: string;
  /** For a turn: the script that answered ("default" for an unknown model). */
  script?: string;
  /** For a turn: how many assistant messages the request carried. */
  turn?: number;
  /** For a turn: the script had no step left and answered 400. */
  exhausted?: boolean;
  /** OpenCode's session id, from its `x-session-id` header. */
  sessionId?: string;
  /** The response status once sent; undefined while stalled. */
  status?: number;
  /** When the response ended or the connection closed. */
  endedAt?: number;
  /** The connection closed before the response was complete. */
  abortedByClient: boolean;
}
