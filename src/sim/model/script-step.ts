/**
 * Token counts a step reports, in the terms OpenCode shows them: `input` is the
 * uncached prompt tokens (OpenCode's `tokens.input`), `cacheRead` the ones read from
 * the prompt cache (`tokens.cache.read`), `cacheWrite` the ones written to it
 * (`tokens.cache.write`), `output` the completion tokens. Each wire format carries
 * them as its provider does: OpenAI counts cached tokens inside `prompt_tokens` /
 * `input_tokens` (with `cached_tokens` beside) and has no cache writes, so there
 * `cacheWrite` is plain input; Anthropic reports `input_tokens`,
 * `cache_read_input_tokens` and `cache_creation_input_tokens` apart. A cost test can
 * so compare what it scripted with what OpenCode and the gateway report.
 * Unset: `{ input: 100, output: 20, cacheRead: 0, cacheWrite: 0 }`.
 */
export interface ScriptedUsage {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
}

/** One call of one of the agent's tools (OpenCode's: write, edit, read, bash, ...). */
export interface ScriptedToolCall {
  name: string;
  /** An object is sent as JSON; a string is sent as it is (to script malformed JSON). */
  arguments: Record<string, unknown> | string;
  /** Unset: `call_<turn>_<position>`, stable across retries of the same turn. */
  id?: string;
}

/** Shared by the steps that answer with a completion. */
interface AnsweringStep {
  usage?: ScriptedUsage;
  /** Wait this long before the response starts, as a slow model would. */
  delayMs?: number;
}

/** The model answers with text and stops (`stop`, `end_turn`, a completed response). */
export interface ReplyStep extends AnsweringStep {
  reply: string;
}

/** The model calls tools (`tool_calls`, `tool_use`, `function_call` items), after `text` if given. */
export interface ToolCallsStep extends AnsweringStep {
  toolCalls: ScriptedToolCall[];
  text?: string;
}

/**
 * The provider fails with an HTTP error. Without `times` every request of this turn
 * fails. With `times: n` the first n requests of this turn fail and the next step in
 * the script answers the same turn, so `[{ error: { status: 500 }, times: 1 }, { reply: "ok" }]`
 * is "500 once, then OK" and a client retry is what gets the reply.
 */
export interface ErrorStep {
  error: {
    status: number;
    /**
     * Unset: "Scripted error <status>". Beware: OpenCode retries any error whose
     * message looks transient ("rate limit", "overloaded", "500", ...), even a 400.
     */
    message?: string;
    /** Sent as `retry-after` (seconds), which OpenCode honours on any status. */
    retryAfterSeconds?: number;
    /** Sent as `retry-after-ms`, which OpenCode prefers over `retry-after`. */
    retryAfterMs?: number;
  };
  times?: number;
}

/**
 * The provider accepts the request and never finishes it: no response at all, or,
 * with `partial` (streamed requests only), a 200 stream that sends that text and then
 * goes silent. The request ends only when the client disconnects or the server stops.
 */
export interface StallStep {
  stall: true;
  partial?: string;
}

/**
 * One step of a script. A script answers conversation turns in order: the turn of a
 * request is the number of assistant messages it already carries, so the step chosen
 * depends on the request alone (retries and concurrent sessions stay deterministic).
 */
export type ScriptStep = ReplyStep | ToolCallsStep | ErrorStep | StallStep;
