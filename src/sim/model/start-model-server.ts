import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { z } from "zod";
import { apiErrorBody } from "./api-error-body.js";
import { type ChatRequest, chatRequestSchema } from "./chat-request-schema.js";
import { completionBody } from "./completion-body.js";
import { completionChunks } from "./completion-chunks.js";
import { createScriptPlayer, type PlayedStep } from "./create-script-player.js";
import type { RecordedRequest } from "./recorded-request.js";
import type { ScriptStep } from "./script-step.js";
import { sideRequestKind } from "./side-request-kind.js";
import { type Completion, toCompletion } from "./to-completion.js";

/** Where the model server listens; both default to a free port on 127.0.0.1. */
export interface ModelServerOptions {
  port?: number;
  host?: string;
  /** Each request is logged at debug level. */
  log?: Logger;
}

/** A running scripted OpenAI-compatible model provider. */
export interface ModelServer {
  /** The provider's base URL, with `/v1`: what OpenCode's `options.baseURL` takes. */
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
 * Starts a stand-in for an OpenAI-compatible model provider that answers
 * `POST /v1/chat/completions` (streamed or not) from scripts, chosen by the request's
 * `model`, and `GET /v1/models`. Each request's step is its script's step for the
 * request's turn (the number of assistant messages it carries), so concurrent
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
    if (route !== "POST /v1/chat/completions") {
      record(entry);
      return sendJson(res, 404, apiErrorBody(404, `The model sim has no route ${route}`));
    }

    const parsed = chatRequestSchema.safeParse(entry.body);
    if (!parsed.success) {
      entry.kind = "invalid";
      record(entry);
      const message = `Invalid chat completion request: ${z.prettifyError(parsed.error)}`;
      return sendJson(res, 400, apiErrorBody(400, message));
    }
    const request = parsed.data;
    entry.model = request.model;

    const side = sideRequestKind(request);
    if (side) {
      entry.kind = side;
      record(entry);
      const answer = toCompletion({ reply: sideAnswers[side], usage: { input: 0, output: 0 } }, 0);
      return sendCompletion(res, request, answer);
    }

    const turn = request.messages.filter((message) => message.role === "assistant").length;
    const played = player.play(request.model, turn);
    Object.assign(entry, {
      kind: "turn",
      script: played.script,
      turn,
      exhausted: played.exhausted,
    });
    record(entry);
    await play(res, request, played);
  }

  async function play(res: ServerResponse, request: ChatRequest, played: PlayedStep) {
    const { step, turn } = played;
    if ("error" in step) {
      const { status, message, retryAfterSeconds, retryAfterMs } = step.error;
      const headers: Record<string, string> = {};
      if (retryAfterSeconds !== undefined) headers["retry-after"] = String(retryAfterSeconds);
      if (retryAfterMs !== undefined) headers["retry-after-ms"] = String(retryAfterMs);
      const body = apiErrorBody(status, message ?? `Scripted error ${status}`);
      return sendJson(res, status, body, headers);
    }
    if ("stall" in step) {
      if (step.partial !== undefined && request.stream) {
        const chunks = completionChunks(
          toCompletion({ reply: step.partial }, turn),
          nextHeader(request),
          false,
        );
        // Everything but the finishing chunk: the stream has begun and never ends.
        res.writeHead(200, sseHeaders);
        for (const chunk of chunks.slice(0, -1)) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
      }
      return closed(res);
    }
    if (step.delayMs) {
      await delayUnlessClosed(res, step.delayMs);
      if (res.destroyed) return;
    }
    sendCompletion(res, request, toCompletion(step, turn));
  }

  function nextHeader(request: ChatRequest) {
    responses += 1;
    const created = Math.floor(Date.now() / 1000);
    return { id: `chatcmpl-sim-${responses}`, model: request.model, created };
  }

  function sendCompletion(res: ServerResponse, request: ChatRequest, completion: Completion) {
    const header = nextHeader(request);
    if (!request.stream) return sendJson(res, 200, completionBody(completion, header));
    const includeUsage = request.stream_options?.include_usage === true;
    res.writeHead(200, sseHeaders);
    for (const chunk of completionChunks(completion, header, includeUsage)) {
      res.write(`data: ${JSON.stringify(chunk)}\n\n`);
    }
    res.end("data: [DONE]\n\n");
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
