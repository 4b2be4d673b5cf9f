import type { Event, OpencodeClient } from "@opencode-ai/sdk/v2/client";
import type { Logger } from "pino";
import { type AgentError, classifyAgentError } from "./classify-agent-error.js";
import {
  type AgentActivity,
  type AgentUsage,
  createSessionTracker,
  type SessionTracker,
  type TrackerChanges,
} from "./create-session-tracker.js";
import { type EventStream, openEventStream } from "./open-event-stream.js";
import { parseModelId } from "./parse-model-id.js";

/** A finished agent response: what the agent said when it ended its turn. */
export interface AgentResponse {
  /** The agent's own summary of what it did; "" if it said nothing at all. */
  text: string;
}

/** How a run's agent session ended. `usage` is what it cost up to then. */
export type AgentResult =
  | { ok: true; responses: AgentResponse[]; usage: AgentUsage }
  | { ok: false; error: AgentError; usage: AgentUsage };

export interface RunAgentSessionParams {
  /** A client for OpenCode serving the repository (`startOpencodeServer` returns one). */
  client: OpencodeClient;
  /**
   * The directory to work in, as OpenCode sees it. Default: OpenCode's own working
   * directory, the `cwd` it was started in.
   */
  directory?: string;
  /** `provider/model`, as in `SHIP_MODEL`; must be in the OpenCode config's providers. */
  model: string;
  prompt: string;
  /** The session's title; given so OpenCode does not ask the model for one. */
  title?: string;
  /** Aborting stops the agent (`session.abort`) and resolves with an `aborted` error. */
  signal?: AbortSignal;
  /** The latest tool call and todo list, whenever either changes. Not awaited; errors are logged. */
  onActivity?: (activity: AgentActivity) => void;
  /**
   * Every event about the run's sessions (its own and its sub-agents'), raw, text
   * deltas included, for a run log. Not awaited; errors are logged.
   */
  onEvent?: (event: Event) => void;
  /**
   * Called, and awaited, once per finished agent response, before the run goes on
   * (the agent has stopped working by then): the moment to commit what changed. A
   * rejection fails the whole call with that error, unless the run was aborted.
   */
  onResponse?: (response: AgentResponse) => Promise<void> | void;
  log?: Logger;
}

/** How often a lost event stream is reconnected before the run is given up. */
const reconnectAttempts = 3;
/** How long `session.abort` may take before the run resolves without its answer. */
const abortRequestTimeoutMs = 5_000;

/**
 * Runs one prompt in a new OpenCode session to its end, following OpenCode's event
 * stream: subscribes first (so nothing is missed), creates a titled session, sends
 * the prompt with the model, reports activity, events and each finished response as
 * they come, and resolves when the session goes idle.
 *
 * Success needs a finished response at the end: a `session.idle` after a
 * `session.error` is a failure, classified into a category a user can act on. When
 * `signal` aborts, the session is aborted, the stream closed, and the call resolves at
 * once with an `aborted` error (an `onResponse` already running is awaited first: it
 * is the caller's, and can watch the same signal). Whenever the call returns before
 * OpenCode said the session is over, the session is aborted. A lost event stream is reconnected
 * and the session's state caught up from its messages; after three failed reconnects
 * the run fails as retryable. The event stream is always closed on return. Never
 * hangs on a stalled model as long as the caller aborts; it has no timeout of its own.
 */
export async function runAgentSession(params: RunAgentSessionParams): Promise<AgentResult> {
  const { client, signal, log } = params;
  const where = params.directory === undefined ? {} : { directory: params.directory };
  const model = parseModelId(params.model);
  let stream: EventStream | undefined;
  let tracker: SessionTracker | undefined;
  let sessionID: string | undefined;
  const responses: AgentResponse[] = [];
  // Set while the caller's onResponse runs: its failures are the caller's to handle.
  let inCallback = false;
  // Set once OpenCode said the session is over; until then it may still be working.
  let settled = false;
  const usage = () => tracker?.usage() ?? { input: 0, output: 0, cacheRead: 0, cost: 0 };
  const fail = (error: AgentError): AgentResult => ({ ok: false, error, usage: usage() });
  const abortedResult = () => fail(abortedError(signal));
  // Ends the wait for the next event at once when the caller aborts.
  const onAbort = () => stream?.close();
  signal?.addEventListener("abort", onAbort, { once: true });

  try {
    if (signal?.aborted) return abortedResult();
    stream = await openEventStream(client, { signal, ...where });
    if (signal?.aborted) return abortedResult();

    const { data: session } = await client.session.create(
      { title: params.title ?? "Ship run", ...where },
      { throwOnError: true, signal },
    );
    sessionID = session.id;
    tracker = createSessionTracker(session);
    if (signal?.aborted) return abortedResult();
    await client.session.promptAsync(
      { sessionID, model, parts: [{ type: "text", text: params.prompt }], ...where },
      { throwOnError: true, signal },
    );

    const report = async (changes: TrackerChanges): Promise<AgentResult | undefined> => {
      if (changes.activity) notify(params.onActivity, changes.activity, log);
      for (const { text } of changes.responses) {
        const response = { text };
        responses.push(response);
        inCallback = true;
        await params.onResponse?.(response);
        inCallback = false;
      }
      if (!changes.outcome) return undefined;
      settled = true;
      if (!changes.outcome.error) return { ok: true, responses, usage: usage() };
      return fail(classifyAgentError(changes.outcome.error));
    };

    for (;;) {
      const event = await stream.next();
      if (signal?.aborted) return abortedResult();
      if (!event) {
        stream.close();
        stream = await reconnect(client, where, signal, log);
        if (signal?.aborted) return abortedResult();
        if (!stream) {
          return fail({
            category: "agent_failed",
            message: "Lost the connection to OpenCode's event stream and could not reconnect",
            retryable: true,
          });
        }
        const caughtUp = await catchUp(client, where, sessionID, tracker, signal);
        const result = await report(caughtUp);
        if (result) return result;
        continue;
      }
      if (!tracker.concerns(event)) continue;
      notify(params.onEvent, event, log);
      const result = await report(tracker.apply(event));
      if (result) return result;
    }
  } catch (error) {
    // An onResponse that fails because the run was aborted is part of the abort.
    if (signal?.aborted) return abortedResult();
    if (inCallback) throw error;
    // Talking to OpenCode failed: it is unreachable, crashed, or refused the request.
    const { status } = ((error as Error).cause ?? {}) as { status?: number };
    return fail({
      category: "agent_failed",
      message: `OpenCode request failed: ${(error as Error).message ?? String(error)}`,
      retryable: status === undefined || status >= 500,
    });
  } finally {
    signal?.removeEventListener("abort", onAbort);
    stream?.close();
    // Leaving early (aborted, OpenCode unreachable, a failed onResponse): the agent
    // must not keep working, and spending, behind the caller's back.
    if (sessionID && !settled) await abortSession(client, where, sessionID, log);
  }
}

/** Opens a new stream, a few times with a growing pause; undefined if none would open. */
async function reconnect(
  client: OpencodeClient,
  where: { directory?: string },
  signal: AbortSignal | undefined,
  log: Logger | undefined,
): Promise<EventStream | undefined> {
  for (let attempt = 1; attempt <= reconnectAttempts; attempt++) {
    log?.warn({ attempt }, "OpenCode's event stream ended early; reconnecting");
    if (!(await pause(attempt * 500, signal))) return undefined;
    try {
      return await openEventStream(client, { signal, ...where });
    } catch (error) {
      log?.warn({ err: error, attempt }, "could not reconnect to OpenCode's event stream");
    }
  }
  return undefined;
}

/** Reads what events may have been missed from the session's messages and status. */
async function catchUp(
  client: OpencodeClient,
  where: { directory?: string },
  sessionID: string,
  tracker: SessionTracker,
  signal: AbortSignal | undefined,
): Promise<TrackerChanges> {
  const [{ data: statuses }, { data: messages }] = await Promise.all([
    client.session.status(where, { throwOnError: true, signal }),
    client.session.messages({ sessionID, ...where }, { throwOnError: true, signal }),
  ]);
  // OpenCode lists only sessions that are not idle.
  const idle = (statuses[sessionID]?.type ?? "idle") === "idle";
  return tracker.catchUp(messages, idle);
}

async function abortSession(
  client: OpencodeClient,
  where: { directory?: string },
  sessionID: string,
  log: Logger | undefined,
) {
  try {
    await client.session.abort(
      { sessionID, ...where },
      { throwOnError: true, signal: AbortSignal.timeout(abortRequestTimeoutMs) },
    );
  } catch (error) {
    // The sandbox is about to go anyway; the caller must not wait on a stuck OpenCode.
    log?.warn({ err: error, sessionID }, "could not abort the OpenCode session");
  }
}

function abortedError(signal: AbortSignal | undefined): AgentError {
  const reason = signal?.reason;
  const why = reason instanceof Error ? `: ${reason.message}` : "";
  return { category: "aborted", message: `The run was stopped${why}`, retryable: false };
}

/** Waits `ms`; false if `signal` aborted first. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (value: boolean) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      resolve(value);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Observers must never break the run they observe, nor leave a rejection unhandled. */
function notify<T>(callback: ((value: T) => void) | undefined, value: T, log: Logger | undefined) {
  const warn = (error: unknown) => log?.warn({ err: error }, "an agent observer failed");
  try {
    const returned: unknown = callback?.(value);
    if (returned instanceof Promise) returned.catch(warn);
  } catch (error) {
    warn(error);
  }
}
