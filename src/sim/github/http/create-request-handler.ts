import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Actor } from "../auth/actor.js";
import { authenticate } from "../auth/authenticate.js";
import type { Sim } from "../sim.js";
import type { ApiResponse, ApiRouter } from "./api-router.js";
import type { Fault, FaultInjector } from "./fault-injector.js";
import { GITHUB_API_HEADERS } from "./github-api-headers.js";
import { HttpError } from "./http-error.js";
import type { RateLimiter, RateLimitWindow } from "./rate-limiter.js";
import { resolveRepositoryPath } from "./resolve-repository-path.js";
import { withCacheHeaders } from "./with-cache-headers.js";

const MAX_BODY_BYTES = 50 * 1024 * 1024;

/**
 * The fake's HTTP entry: faults first, then the route; API routes get their body
 * parsed, their actor authenticated, their rate limit counted (a 304 is free) and
 * GitHub's headers; errors become GitHub's error bodies. Git routes stream untouched.
 */
export function createRequestHandler(params: {
  sim: Sim;
  router: ApiRouter;
  faults: FaultInjector;
  rateLimiter: RateLimiter;
}): (req: IncomingMessage, res: ServerResponse) => void {
  const { sim, router, faults, rateLimiter } = params;
  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      sim.log.error({ err: error, url: req.url }, "fake GitHub failed a request");
      if (!res.headersSent) {
        res.statusCode = 500;
        res.setHeader("content-type", "application/json; charset=utf-8");
      }
      res.end(JSON.stringify({ message: "Server Error" }));
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", sim.urls.web);
    const requestId = randomBytes(8).toString("hex").toUpperCase();
    res.setHeader("date", new Date(sim.clock.now()).toUTCString());
    res.setHeader("x-github-request-id", requestId);
    const isRest = url.pathname.startsWith("/api/v3/");
    if (isRest)
      for (const [name, value] of Object.entries(GITHUB_API_HEADERS)) res.setHeader(name, value);

    const fault = faults.take(method, url.pathname);
    if (fault && (await applyFault(fault, res, requestId))) return;

    const pathname = resolveRepositoryPath(sim.state, url.pathname);
    const match = router.find(method, pathname);
    if (!match) {
      await drain(req);
      if (url.pathname.startsWith("/api/")) {
        // GitHub counts (and reports) even requests for unknown paths.
        const actor = await authenticate(sim, req.headers.authorization).catch(
          (): Actor => ({ type: "anonymous" }),
        );
        setRateLimitHeaders(res, rateLimiter.consume(actor, "core").window);
        sendJson(res, 404, {
          message: "Not Found",
          documentation_url: "https://docs.github.com/rest",
          status: "404",
        });
      } else {
        res.statusCode = 404;
        res.setHeader("content-type", "text/plain; charset=utf-8");
        res.end("Not Found");
      }
      return;
    }
    const { entry, params: routeParams } = match;
    if (entry.kind === "raw") {
      await entry.handler(req, res, routeParams, url.searchParams);
      return;
    }

    let window: RateLimitWindow | undefined;
    try {
      const { body, json } = parseBody(req.headers["content-type"], await readBody(req));
      const actor: Actor = entry.authenticate
        ? await authenticate(sim, req.headers.authorization)
        : { type: "anonymous" };
      if (entry.rateLimited) {
        const consumed = rateLimiter.consume(actor, entry.rateLimited);
        window = consumed.window;
        if (consumed.exceeded) {
          throw new HttpError(403, rateLimitMessage(actor, requestId), {
            documentationUrl:
              "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-primary-rate-limits",
          });
        }
      }
      const response = await entry.handler({
        method,
        path: pathname,
        params: routeParams,
        query: url.searchParams,
        headers: req.headers,
        body,
        json,
        actor,
      });
      const prepared = prepare(response);
      if (isRest) {
        const cached = withCacheHeaders({
          method,
          requestHeaders: req.headers,
          status: response.status,
          body: prepared.body,
          json: response.body,
          headers: prepared.headers,
          authenticated: actor.type !== "anonymous",
        });
        prepared.headers = cached.headers;
        if (cached.notModified) {
          if (entry.rateLimited) rateLimiter.refund(actor, entry.rateLimited);
          prepared.status = 304;
          prepared.body = undefined;
          delete prepared.headers["content-type"];
        }
      }
      if (window) setRateLimitHeaders(res, window);
      write(res, prepared);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      // Refused credentials still cost the anonymous budget, with its headers.
      if (!window && entry.rateLimited) {
        window = rateLimiter.consume({ type: "anonymous" }, entry.rateLimited).window;
      }
      if (window) setRateLimitHeaders(res, window);
      for (const [name, value] of Object.entries(error.details.headers ?? {})) {
        res.setHeader(name, value);
      }
      sendJson(res, error.status, {
        message: error.message,
        ...(error.details.errors ? { errors: error.details.errors } : {}),
        documentation_url: error.details.documentationUrl ?? entry.docs,
        status: String(error.status),
      });
    }
  }

  /** Applies a fault; true when it answered the request itself. */
  async function applyFault(fault: Fault, res: ServerResponse, requestId: string) {
    const { effect, delayMs = 0 } = fault.rule;
    const wait = delayMs + (effect.type === "latency" ? effect.ms : 0);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const now = Math.floor(sim.clock.now() / 1000);
    switch (effect.type) {
      case "latency":
        return false;
      case "status":
        sendJson(res, effect.status, {
          message: effect.message ?? (effect.status >= 500 ? "Server Error" : "Injected fault"),
          documentation_url: "https://docs.github.com/rest",
          status: String(effect.status),
        });
        return true;
      case "primary-rate-limit":
        setRateLimitHeaders(res, {
          limit: 5000,
          used: 5000,
          reset: now + (effect.resetInSeconds ?? 60),
          resource: "core",
        });
        sendJson(res, 403, {
          message: `API rate limit exceeded. If you reach out to GitHub Support for help, please include the request ID ${requestId}.`,
          documentation_url:
            "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-primary-rate-limits",
          status: "403",
        });
        return true;
      case "secondary-rate-limit": {
        const status = effect.status ?? 403;
        res.setHeader("retry-after", String(effect.retryAfterSeconds ?? 1));
        sendJson(res, status, {
          message: `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${requestId}.`,
          documentation_url:
            "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
          status: String(status),
        });
        return true;
      }
    }
  }
}

function rateLimitMessage(actor: Actor, requestId: string): string {
  const who =
    actor.type === "installation"
      ? ` for installation ID ${actor.installation.id}`
      : actor.type === "user"
        ? ` for user ID ${actor.user.id}`
        : "";
  return `API rate limit exceeded${who}. If you reach out to GitHub Support for help, please include the request ID ${requestId}.`;
}

function setRateLimitHeaders(res: ServerResponse, window: RateLimitWindow): void {
  res.setHeader("x-ratelimit-limit", String(window.limit));
  res.setHeader("x-ratelimit-remaining", String(Math.max(0, window.limit - window.used)));
  res.setHeader("x-ratelimit-used", String(window.used));
  res.setHeader("x-ratelimit-reset", String(window.reset));
  res.setHeader("x-ratelimit-resource", window.resource);
}

/** An answer made ready to write: its status, headers and bytes. */
interface PreparedResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer | undefined;
}

function prepare(response: ApiResponse): PreparedResponse {
  const headers: Record<string, string> = { ...response.headers };
  const status = response.status;
  if (response.redirect !== undefined) {
    headers.location = response.redirect;
    return { status, headers, body: undefined };
  }
  if (response.html !== undefined) {
    headers["content-type"] = "text/html; charset=utf-8";
    return { status, headers, body: Buffer.from(response.html) };
  }
  if (response.raw !== undefined) {
    return { status, headers, body: Buffer.from(response.raw) };
  }
  if (response.form !== undefined) {
    headers["content-type"] = "application/x-www-form-urlencoded; charset=utf-8";
    return { status, headers, body: Buffer.from(new URLSearchParams(response.form).toString()) };
  }
  if (status === 204 || response.body === undefined) return { status, headers, body: undefined };
  return { status, headers: { ...jsonHeaders(), ...headers }, body: jsonBytes(response.body) };
}

function write(res: ServerResponse, prepared: PreparedResponse): void {
  res.statusCode = prepared.status;
  for (const [name, value] of Object.entries(prepared.headers)) res.setHeader(name, value);
  res.end(prepared.body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  if (status === 204 || body === undefined) {
    res.end();
    return;
  }
  for (const [name, value] of Object.entries(jsonHeaders())) res.setHeader(name, value);
  res.end(jsonBytes(body));
}

function jsonHeaders(): Record<string, string> {
  return {
    "content-type": "application/json; charset=utf-8",
    "x-github-media-type": "github.v3; format=json",
    "x-github-api-version-selected": "2022-11-28",
  };
}

function jsonBytes(body: unknown): Buffer {
  return Buffer.from(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, "Request body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function drain(req: IncomingMessage): Promise<void> {
  for await (const _ of req) {
    // discard
  }
}

function parseBody(
  contentType: string | undefined,
  raw: Buffer,
): { body: Record<string, unknown>; json: unknown } {
  if (raw.length === 0) return { body: {}, json: undefined };
  const text = raw.toString("utf8");
  if (contentType?.includes("application/x-www-form-urlencoded")) {
    const body = Object.fromEntries(new URLSearchParams(text));
    return { body, json: body };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new HttpError(400, "Problems parsing JSON");
  }
  const body =
    json && typeof json === "object" && !Array.isArray(json)
      ? (json as Record<string, unknown>)
      : {};
  return { body, json };
}
