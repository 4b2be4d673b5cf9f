import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import FindMyWay, { type HTTPMethod } from "find-my-way";
import type { Actor } from "../auth/actor.js";
import type { ResponseTemplates } from "../render/response-templates.js";

/** A request as route handlers see it: parsed once, with its actor decided. */
export interface ApiRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The JSON object or form fields sent; `{}` when there was no body or not an object. */
  body: Record<string, unknown>;
  /** The parsed JSON as sent (some endpoints also take a bare array). */
  json: unknown;
  actor: Actor;
}

/** What a handler answers: JSON by default, or a page, or a redirect. */
export interface ApiResponse {
  status: number;
  body?: unknown;
  html?: string;
  /** Sent as is (raw file contents); set `content-type` in `headers`. */
  raw?: Buffer | string;
  /** Sent as `application/x-www-form-urlencoded` (OAuth without `Accept: json`). */
  form?: Record<string, string>;
  redirect?: string;
  headers?: Record<string, string>;
}

/** Serves one route: throws `HttpError` for GitHub-shaped failures. */
export type ApiHandler = (request: ApiRequest) => Promise<ApiResponse> | ApiResponse;

/** A raw handler owns the response (git's streaming CGI). */
export type RawHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  params: Record<string, string>,
  query: URLSearchParams,
) => Promise<void>;

/** How a matched route is served. */
export type RouteEntry =
  | {
      kind: "api";
      handler: ApiHandler;
      /** Where GitHub's docs for this endpoint are, for error bodies. */
      docs: string;
      /** REST and GraphQL count against the rate limit; pages and OAuth do not. */
      rateLimited: "core" | "graphql" | false;
      /** False: the handler reads its own credentials (OAuth client secrets). */
      authenticate: boolean;
    }
  | { kind: "raw"; handler: RawHandler };

/**
 * The fake's routes. REST operations are registered by GitHub's operationId, so their
 * method and path come from GitHub's own description (under `/api/v3`).
 */
export class ApiRouter {
  private readonly router = FindMyWay({ ignoreTrailingSlash: true, caseSensitive: true });

  constructor(private readonly templates: ResponseTemplates) {}

  /**
   * A REST operation: `{ref}`, `{branch}`, `{path}` and a comparison's
   * `{base}...{head}` may hold slashes, as on GitHub; they arrive as `params["*"]`.
   */
  operation(
    operationId: string,
    handler: ApiHandler,
    options: { rateLimited?: "core" | false; authenticate?: boolean } = {},
  ): void {
    const { method, path, docs } = this.templates.operation(operationId);
    const pattern = path
      .replace(/\{(ref|branch|path)\}$|\{base\}\.\.\.\{head\}$/, "*")
      .replace(/\{([a-z_]+)\}/g, (_, name: string) => `:${name}`);
    this.add(method.toUpperCase(), `/api/v3${pattern}`, {
      kind: "api",
      handler,
      docs: docs ?? "https://docs.github.com/rest",
      rateLimited: options.rateLimited ?? "core",
      authenticate: options.authenticate ?? true,
    });
  }

  /** Any other JSON or page route (GraphQL, OAuth, the fake's own pages). */
  route(
    method: string,
    path: string,
    handler: ApiHandler,
    options: {
      rateLimited?: "core" | "graphql" | false;
      authenticate?: boolean;
      docs?: string;
    } = {},
  ): void {
    this.add(method, path, {
      kind: "api",
      handler,
      docs: options.docs ?? "https://docs.github.com/rest",
      rateLimited: options.rateLimited ?? false,
      authenticate: options.authenticate ?? true,
    });
  }

  raw(method: string, path: string, handler: RawHandler): void {
    this.add(method, path, { kind: "raw", handler });
  }

  find(
    method: string,
    path: string,
  ): { entry: RouteEntry; params: Record<string, string> } | undefined {
    const found = this.router.find(method as HTTPMethod, path);
    if (!found) return undefined;
    const params: Record<string, string> = {};
    for (const [key, value] of Object.entries(found.params)) {
      if (value !== undefined) params[key] = value;
    }
    return { entry: found.store as RouteEntry, params };
  }

  private add(method: string, path: string, entry: RouteEntry): void {
    // find-my-way calls handlers itself in `lookup`; this router only uses `find`.
    this.router.on(method as HTTPMethod, path, () => {}, entry);
  }
}
