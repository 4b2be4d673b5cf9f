import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import type { AnswerHeader } from "./answer-header.js";
import { anthropicErrorBody } from "./anthropic-error-body.js";
import { apiErrorBody } from "./api-error-body.js";
import { chatFormat } from "./chat-format.js";
import { createScriptPlayer, type PlayedStep } from "./create-script-player.js";
import { messagesFormat } from "./messages-format.js";
import type { ModelRequest } from "./model-request.js";
import type { RecordedRequest } from "./recorded-request.js";
import { responsesFormat } from "./responses-format.js";
import type { ScriptStep } from "./script-step.js";
import { sideRequestKind } from "./side-request-kind.js";
import { type Completion, toCompletion } from "./to-completion.js";
import type { SseEvent, WireFormat } from "./wire-format.js";

/** Where the model server listens; both default to a free port on 127.0.0.1. */
export interface ModelServerOptions {
  port?: number;
  host?: string;
  /** Each request is logged at debug level. */
  log?: Logger;
}

/** A running scripted model provider (OpenAI chat completions, Responses, Anthropic Messages). */
export interface ModelServer {
  /**
   * The provider's base URL, with `/v1`: what OpenCode's `options.baseURL` takes for
   * `@ai-sdk/openai-compatible`, `@ai-sdk/openai` and `@ai-sdk/anthropic` alike.
   */
  readonly baseUrl: string;
  /** Every request received, in arrival order, side requests included (and marked). */
  readonly requests: readonly RecordedRequest[];
  /**
   * Sets the script played to requests whose `model` is `name`, replacing any script
   * of that name and its retry counters. Give each concurrent session its own model
   * name: `times` counters are per script and turn, shared by everyone playing it.
   * Throws on a malformed step.
   */
  setScript(name: string, steps: readonly ScriptStep[]): void;
  /**
   * The first request, already received or still to come, for which `predicate` is
   * true when it arrives (its kind, script and turn are known by then; its status is
   * not). Rejects after `timeoutMs` or when the server stops.
   */
  waitForRequest(
    predicate: (request: RecordedRequest) => boolean,
    timeoutMs?: number,
  ): Promise<RecordedRequest>;
  /** Closes every connection, stalled ones included, and stops listening. */
  stop(): Promise<void>;
}

/** What OpenCode's side requests get back; they never consume a script. */
const sideAnswers = {
  title: "Scripted session",
  compaction: "## Summary\nA scripted conversation with the model sim.",
  summary: "I made the scripted changes.",
} as const;

/**
 * Starts a stand-in for a model provider that answers, streamed or not, in the wire
 * format of the endpoint called: OpenAI chat completions (`POST /v1/chat/completions`),
 * the OpenAI Responses API (`POST /v1/responses`) and Anthropic Messages
 * (`POST /v1/messages`); and `GET /v1/models`. The script is chosen by the request's
 * `model`, its step by the request's turn (how many answers of the model the
 * conversation carries), so one script plays over any of the three, and concurrent
 * sessions and client retries get deterministic answers.
 */
export async function startModelServer(options: ModelServerOptions = {}): Promise<ModelServer> {
  const { host = "127.0.0.1", port = 0, log } = options;
  const player = createScriptPlayer();
  const requests: RecordedRequest[] = [];
  const waiters = new Set<{
    predicate: (request: RecordedRequest) => boolean;
    resolve: (request: RecordedRequest) => void;
    reject: (error: Error) => void;
  }>();
  let responses = 0;
  let stopping = false;

  function record(entry: RecordedRequest): void {
    requests.push(entry);
    log?.debug(
      {
        seq: entry.seq,
        kind: entry.kind,
        model: entry.model,
        script: entry.script,
        turn: entry.turn,
        sessionId: entry.sessionId,
      },
      "model sim request",
    );
    for (const waiter of waiters) {
      if (waiter.predicate(entry)) {
        waiters.delete(waiter);
        waiter.resolve(entry);
      }
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    const path = req.url ?? "/";
    const sessionId = req.headers["x-session-id"];
    const entry: RecordedRequest = {
      seq: requests.length,
      method: req.method ?? "GET",
      path,
      headers: req.headers,
      body: parseBody(text),
      receivedAt: Date.now(),
      kind: "other",
      sessionId: typeof sessionId === "string" ? sessionId : undefined,
      abortedByClient: false,
    };
    // A getter, so the status is right the moment headers go out, before any event.
    Object.defineProperty(entry, "status", {
      enumerable: true,
      get: () => (res.headersSent ? res.statusCode : undefined),
    });
    res.on("finish", () => {
      entry.endedAt ??= Date.now();
    });
    res.on("close", () => {
      entry.endedAt ??= Date.now();
      // Connections the server itself cuts on stop() were not the client's doing.
      if (!res.writableFinished && !stopping) entry.abortedByClient = true;
    });

    const route = `${entry.method} ${new URL(path, "http://sim").pathname.replace(/\/+$/, "")}`;
    if (route === "GET /v1/models") {
      entry.kind = "models";
      record(entry);
      const data = player
        .names()
        .map((id) => ({ id, object: "model", created: 0, owned_by: "sim" }));
      return sendJson(res, 200, { object: "list", data });
    }
    const format = formats[route];
    if (!format) {
      record(entry);
      // A client of Anthropic's API reads Anthropic's error shape; anyone else OpenAI's.
      const errorBody = req.headers["anthropic-version"] ? anthropicErrorBody : apiErrorBody;
      return sendJson(res, 404, errorBody(404, `The model sim has no route ${route}`));
    }
    entry.protocol = format.protocol;

    const request = format.read(entry.body);
    if ("invalid" in request) {
      entry.kind = "invalid";
      record(entry);
      return sendJson(res, 400, format.error(400, request.invalid));
    }
    entry.model = request.model;

    const side = sideRequestKind(request.system);
    if (side) {
      entry.kind = side;
      record(entry);
      const answer = toCompletion({ reply: sideAnswers[side], usage: { input: 0, output: 0 } }, 0);
      return sendCompletion(res, format, request, answer);
    }

    const played = player.play(request.model, request.turn);
    Object.assign(entry, {
      kind: "turn",
      script: played.script,
      turn: request.turn,
      exhausted: played.exhausted,
    });
    record(entry);
    await play(res, format, request, played);
  }

  async function play(
    res: ServerResponse,
    format: WireFormat,
    request: ModelRequest,
    played: PlayedStep,
  ) {
    const { step, turn } = played;
    if ("error" in step) {
      const { status, message, retryAfterSeconds, retryAfterMs } = step.error;
      const headers: Record<string, string> = {};
      if (retryAfterSeconds !== undefined) headers["retry-after"] = String(retryAfterSeconds);
      if (retryAfterMs !== undefined) headers["retry-after-ms"] = String(retryAfterMs);
      const body = format.error(status, message ?? `Scripted error ${status}`);
      return sendJson(res, status, body, headers);
    }
    if ("stall" in step) {
      if (step.partial !== undefined && request.stream) {
        const events = format.events(
          toCompletion({ reply: step.partial }, turn),
          nextHeader(format, request),
          { ...request, includeUsage: false },
        );
        // Up to the last piece of text: the stream has begun and never ends.
        const lastText = events.findLastIndex((event) => format.isTextDelta(event));
        res.writeHead(200, sseHeaders);
        for (const event of events.slice(0, Math.max(lastText, 0) + 1)) res.write(sse(event));
      }
      return closed(res);
    }
    if (step.delayMs) {
      await delayUnlessClosed(res, step.delayMs);
      if (res.destroyed) return;
    }
    sendCompletion(res, format, request, toCompletion(step, turn));
  }

  function nextHeader(format: WireFormat, request: ModelRequest): AnswerHeader {
    responses += 1;
    const created = Math.floor(Date.now() / 1000);
    return { id: `${format.idPrefix}${responses}`, model: request.model, created };
  }

  function sendCompletion(
    res: ServerResponse,
    format: WireFormat,
    request: ModelRequest,
    completion: Completion,
  ) {
    const header = nextHeader(format, request);
    if (!request.stream) return sendJson(res, 200, format.body(completion, header, request));
    res.writeHead(200, sseHeaders);
    for (const event of format.events(completion, header, request)) res.write(sse(event));
    res.end();
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log?.error({ err: error }, "model sim failed to answer");
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, apiErrorBody(500, `The model sim failed: ${String(error)}`));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === "IPv6" ? `[${address.address}]` : address.address;

  return {
    baseUrl: `http://${urlHost}:${address.port}/v1`,
    requests,
    setScript: player.set,
    waitForRequest(predicate, timeoutMs = 10_000) {
      const found = requests.find(predicate);
      if (found) return Promise.resolve(found);
      if (stopping) return Promise.reject(new Error("The model sim has stopped"));
      return new Promise((resolve, reject) => {
        const waiter = {
          predicate,
          resolve: (request: RecordedRequest) => {
            clearTimeout(timer);
            resolve(request);
          },
          reject: (error: Error) => {
            clearTimeout(timer);
            reject(error);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          const seen = requests.map((r) => `${r.kind}${r.script ? ` ${r.script}#${r.turn}` : ""}`);
          reject(
            new Error(
              `No matching model request within ${timeoutMs} ms; received: ${seen.join(", ") || "none"}`,
            ),
          );
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    async stop() {
      stopping = true;
      for (const waiter of waiters) waiter.reject(new Error("The model sim has stopped"));
      waiters.clear();
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await done;
    },
  };
}

const sseHeaders = { "content-type": "text/event-stream", "cache-control": "no-cache" };

/** The provider APIs the sim answers, by route. */
const formats: Record<string, WireFormat> = {
  "POST /v1/chat/completions": chatFormat,
  "POST /v1/responses": responsesFormat,
  "POST /v1/messages": messagesFormat,
};

function sse(event: SseEvent): string {
  const data = typeof event.data === "string" ? event.data : JSON.stringify(event.data);
  return `${event.event ? `event: ${event.event}\n` : ""}data: ${data}\n\n`;
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: object,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function parseBody(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Waits `ms`, or less if the connection closes first; leaves no timer behind. */
function delayUnlessClosed(res: ServerResponse, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      res.off("close", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.once("close", done);
  });
}

/** Resolves when the response is over: sent, or cut by either side. */
function closed(res: ServerResponse): Promise<void> {
  if (res.closed) return Promise.resolve();
  return new Promise((resolve) => res.once("close", () => resolve()));
}
