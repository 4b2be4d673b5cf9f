import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import FindMyWay from "find-my-way";
import type { Logger } from "pino";
import { z } from "zod";
import type { LocalSandbox } from "./create-local-sandbox.js";
import type { SandboxRegistry } from "./create-sandbox-registry.js";
import { readBody } from "./read-body.js";

/**
 * The envd version reported: new enough for every SDK feature the stand-in serves
 * (closeStdin needs 0.5.2, streamed uploads 0.5.7), too old for those it does not
 * (file metadata 0.6.2), which the SDK then refuses itself.
 */
const envdVersion = "0.5.7";

/** E2B's limits on a sandbox's lifetime, in seconds: v2's default and the Pro maximum. */
const defaultTimeoutSeconds = 300;
const maxTimeoutSeconds = 86_400;

const createSchema = z.looseObject({
  templateID: z.string().min(1),
  metadata: z.record(z.string(), z.string()).nullish(),
  envVars: z.record(z.string(), z.string()).nullish(),
  timeout: z.number().int().positive().max(maxTimeoutSeconds).nullish(),
  network: z.looseObject({ allowPublicTraffic: z.boolean().nullish() }).nullish(),
});
const timeoutSchema = z.object({ timeout: z.number().int().nonnegative().max(maxTimeoutSeconds) });
const connectSchema = z.looseObject({
  timeout: z.number().int().positive().max(maxTimeoutSeconds).nullish(),
});

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Route = (request: {
  params: Record<string, string | undefined>;
  query: URLSearchParams;
  body: unknown;
}) => Promise<Reply> | Reply;

/**
 * The control plane behind `E2B_API_URL`: create (`POST /v2/sandboxes`), list with a
 * metadata filter (`GET /v2/sandboxes`), get, kill, set timeout and connect, each
 * checking `X-API-KEY`. Errors are E2B's `{code, message}`, which the SDK turns into
 * `AuthenticationError` (401), `SandboxNotFoundError` / `false` (404) and so on.
 * Pausing, snapshots and templates are not offered (501).
 */
export function createApiHandler(params: {
  registry: SandboxRegistry;
  apiKey: string;
  /** When set, only these template ids (or names) can be created. */
  templates: readonly string[] | undefined;
  log: Logger;
}): (req: IncomingMessage, res: ServerResponse) => void {
  const { registry, templates, log } = params;
  const router = FindMyWay({ ignoreTrailingSlash: true });
  const routes = new Map<string, Route>();
  const on = (method: "GET" | "POST" | "DELETE", path: string, route: Route) => {
    const key = `${method} ${path}`;
    routes.set(key, route);
    router.on(method, path, () => {}, { key });
  };

  const running = (id: string | undefined): LocalSandbox => {
    const sandbox = id ? registry.get(id) : undefined;
    if (!sandbox) throw new ApiError(404, `sandbox ${id} not found`);
    return sandbox;
  };

  const createSandbox: Route = async ({ body }) => {
    const request = createSchema.parse(body);
    if (templates && !templates.includes(request.templateID)) {
      throw new ApiError(404, `template '${request.templateID}' not found`);
    }
    const sandbox = await registry.create({
      templateId: request.templateID,
      metadata: request.metadata ?? {},
      envVars: request.envVars ?? {},
      timeoutMs: (request.timeout ?? defaultTimeoutSeconds) * 1000,
      allowPublicTraffic: request.network?.allowPublicTraffic ?? true,
    });
    return { status: 201, body: created(sandbox) };
  };
  on("POST", "/v2/sandboxes", createSandbox);
  on("POST", "/sandboxes", createSandbox);

  const listSandboxes: Route = ({ query }) => {
    const wanted = metadataFilter(query.get("metadata"));
    // Local sandboxes are never paused: asking only for paused ones finds none.
    const states = (query.get("state") ?? "running").split(",");
    const matching = (states.includes("running") ? registry.list() : [])
      .filter((sandbox) =>
        Object.entries(wanted).every(([key, value]) => sandbox.metadata[key] === value),
      )
      .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
    const offset = Number(query.get("nextToken") ?? 0) || 0;
    const limit = Number(query.get("limit") ?? 0) || matching.length;
    const page = matching.slice(offset, offset + limit);
    const next = offset + limit < matching.length ? String(offset + limit) : undefined;
    const headers: Record<string, string> = next ? { "x-next-token": next } : {};
    return { status: 200, body: page.map(listed), headers };
  };
  on("GET", "/v2/sandboxes", listSandboxes);
  on("GET", "/sandboxes", listSandboxes);

  on("GET", "/sandboxes/:id", ({ params: { id } }) => ({ status: 200, body: detail(running(id)) }));

  on("DELETE", "/sandboxes/:id", async ({ params: { id } }) => {
    await running(id).kill("killed through the API");
    return { status: 204 };
  });

  on("POST", "/sandboxes/:id/timeout", ({ params: { id }, body }) => {
    const sandbox = running(id);
    sandbox.setTimeout(timeoutSchema.parse(body).timeout * 1000);
    return { status: 204 };
  });

  const connect: Route = ({ params: { id }, body }) => {
    const sandbox = running(id);
    const { timeout } = connectSchema.parse(body ?? {});
    // Connecting never shortens a running sandbox's life.
    if (timeout && Date.now() + timeout * 1000 > sandbox.endAt.getTime()) {
      sandbox.setTimeout(timeout * 1000);
    }
    return { status: 200, body: created(sandbox) };
  };
  on("POST", "/v2/sandboxes/:id/connect", connect);
  on("POST", "/sandboxes/:id/connect", connect);

  on("GET", "/sandboxes/:id/metrics", ({ params: { id } }) => {
    running(id);
    return { status: 200, body: [] };
  });

  return (req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://api");
      if (url.pathname === "/health") return { status: 200, body: { message: "ok" } };
      const given = req.headers["x-api-key"];
      if (typeof given !== "string" || !sameSecret(given, params.apiKey)) {
        throw new ApiError(401, "Invalid API key, please check that your E2B_API_KEY is correct");
      }
      const found = router.find(req.method as "GET", url.pathname);
      const route = found ? routes.get(String(found.store?.key)) : undefined;
      if (!found || !route) {
        throw new ApiError(
          501,
          `${req.method} ${url.pathname} is not offered by the local E2B stand-in`,
        );
      }
      const raw = await readBody(req);
      const body = raw.length === 0 ? undefined : (JSON.parse(raw.toString("utf8")) as unknown);
      return route({ params: found.params, query: url.searchParams, body });
    })()
      .catch((error: unknown): Reply => {
        if (error instanceof ApiError)
          return { status: error.status, body: errorBody(error.status, error.message) };
        if (error instanceof z.ZodError || error instanceof SyntaxError) {
          return { status: 400, body: errorBody(400, `invalid request: ${error.message}`) };
        }
        log.error({ err: error }, "E2B stand-in API request failed");
        return { status: 500, body: errorBody(500, String(error)) };
      })
      .then((reply) => {
        res.writeHead(reply.status, {
          ...(reply.body === undefined ? {} : { "content-type": "application/json" }),
          ...reply.headers,
        });
        res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
      });
  };
}

function errorBody(code: number, message: string): { code: number; message: string } {
  return { code, message };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The SDK sends `metadata` as a query string of its own, `key=value&...`, each key and
 * value URI-encoded before the whole is encoded again as one parameter.
 */
function metadataFilter(raw: string | null): Record<string, string> {
  if (!raw) return {};
  const filter: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(raw)) filter[decode(key)] = decode(value);
  return filter;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** `Sandbox`: what create and connect return. */
function created(sandbox: LocalSandbox) {
  return {
    sandboxID: sandbox.id,
    templateID: sandbox.templateId,
    clientID: "local",
    envdVersion,
    envdAccessToken: sandbox.envdAccessToken,
    trafficAccessToken: sandbox.trafficAccessToken ?? null,
    domain: null,
  };
}

/** `ListedSandbox`: an entry of the list. */
function listed(sandbox: LocalSandbox) {
  return {
    sandboxID: sandbox.id,
    templateID: sandbox.templateId,
    clientID: "local",
    cpuCount: 2,
    memoryMB: 512,
    diskSizeMB: 1024,
    envdVersion,
    metadata: sandbox.metadata,
    startedAt: sandbox.startedAt.toISOString(),
    endAt: sandbox.endAt.toISOString(),
    state: "running",
  };
}

/** `SandboxDetail`: what get-info returns. */
function detail(sandbox: LocalSandbox) {
  return {
    ...listed(sandbox),
    envdAccessToken: sandbox.envdAccessToken,
    domain: null,
    network: { allowPublicTraffic: sandbox.trafficAccessToken === undefined },
    lifecycle: { onTimeout: "kill", autoResume: false },
  };
}
