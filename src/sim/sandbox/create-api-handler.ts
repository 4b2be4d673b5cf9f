import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import FindMyWay from "find-my-way";
import type { Logger } from "pino";
import { z } from "zod";
import { ApiError } from "./api-error.js";
import type { LocalSandbox } from "./create-local-sandbox.js";
import type { SandboxEntry, SandboxRegistry } from "./create-sandbox-registry.js";
import type { SandboxSnapshot } from "./create-snapshot-store.js";
import { listSandboxEntries } from "./list-sandbox-entries.js";
import { readBody } from "./read-body.js";
import { sandboxApiJson } from "./sandbox-api-json.js";

/** E2B's limits on a sandbox's lifetime, in seconds: v2's default and the Pro maximum. */
const defaultTimeoutSeconds = 300;
const maxTimeoutSeconds = 86_400;
/** What the deprecated resume gives when asked for no timeout (`ResumedSandbox.timeout`). */
const defaultResumeTimeoutSeconds = 15;

const timeoutField = z.number().int().nonnegative().max(maxTimeoutSeconds);
const createSchema = z.looseObject({
  templateID: z.string().min(1),
  metadata: z.record(z.string(), z.string()).nullish(),
  envVars: z.record(z.string(), z.string()).nullish(),
  timeout: z.number().int().positive().max(maxTimeoutSeconds).nullish(),
  network: z.looseObject({ allowPublicTraffic: z.boolean().nullish() }).nullish(),
  autoPause: z.boolean().nullish(),
  autoPauseMemory: z.boolean().nullish(),
  autoResume: z.looseObject({ enabled: z.boolean() }).nullish(),
});
const timeoutSchema = z.object({ timeout: timeoutField });
const connectSchema = z.looseObject({
  timeout: timeoutField.nullish(),
  memory: z.boolean().nullish(),
});
const pauseSchema = z.looseObject({ memory: z.boolean().nullish() });
const snapshotSchema = z.looseObject({
  // E2B's template names: letters, digits, dots, dashes and underscores.
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/)
    .nullish(),
});
const forkSchema = z.looseObject({
  timeout: timeoutField.nullish(),
  count: z.number().int().min(1).max(100).nullish(),
});

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type Route = (request: {
  params: Record<string, string | undefined>;
  query: URLSearchParams;
  body: unknown;
}) => Promise<Reply> | Reply;

/**
 * The control plane behind `E2B_API_URL`, each request checking `X-API-KEY`: create
 * (`POST /v2/sandboxes`, from a template or a snapshot, with `lifecycle`), list
 * (`GET /v2/sandboxes` with E2B's filters, order and cursor), get, kill, set timeout,
 * pause, connect (which resumes a paused sandbox) and the deprecated resume, fork,
 * and snapshots (create, `GET /snapshots`, delete as `DELETE /templates/{id}`).
 * Errors are E2B's `{code, message}`, which the SDK turns into `AuthenticationError`
 * (401), `SandboxNotFoundError` / `false` (404), `false` for pausing a paused sandbox
 * (409) and so on. Building templates is not offered (501).
 */
export function createApiHandler(params: {
  registry: SandboxRegistry;
  apiKey: string;
  /** When set, only these template ids (or names), and snapshots, can be created. */
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

  /** A running or paused sandbox. */
  const live = (id: string | undefined): SandboxEntry => {
    const entry = id ? registry.entry(id) : undefined;
    if (!entry) throw new ApiError(404, `sandbox ${id} not found`);
    return entry;
  };
  /** A running sandbox: a paused one is not running anywhere, so as good as unknown here. */
  const running = (id: string | undefined): LocalSandbox => {
    const { sandbox } = live(id);
    if (sandbox.paused) throw new ApiError(404, `sandbox ${id} not found: it is paused`);
    return sandbox;
  };

  const createSandbox: Route = async ({ body }) => {
    const request = createSchema.parse(body);
    const ref = request.templateID;
    if (!registry.snapshots.find(ref)) {
      if (registry.snapshots.wasDeleted(ref) || (templates && !templates.includes(ref))) {
        throw new ApiError(404, `template '${ref}' not found`);
      }
    }
    const autoResume = request.autoResume?.enabled ?? false;
    if (autoResume && !request.autoPause) {
      throw new ApiError(400, "autoResume needs autoPause: a sandbox that is killed cannot resume");
    }
    const sandbox = await registry.create({
      templateId: ref,
      metadata: request.metadata ?? {},
      envVars: request.envVars ?? {},
      timeoutMs: (request.timeout ?? defaultTimeoutSeconds) * 1000,
      allowPublicTraffic: request.network?.allowPublicTraffic ?? true,
      lifecycle: {
        onTimeout: request.autoPause ? "pause" : "kill",
        keepMemory: request.autoPauseMemory ?? true,
        autoResume,
      },
    });
    return { status: 201, body: sandboxApiJson.created(sandbox) };
  };
  on("POST", "/v2/sandboxes", createSandbox);
  on("POST", "/sandboxes", createSandbox);

  on("GET", "/v2/sandboxes", ({ query }) => {
    const page = listSandboxEntries(registry.entries(), query);
    const headers: Record<string, string> = {};
    if (page.nextToken) headers["x-next-token"] = page.nextToken;
    if (page.totalRunning !== undefined) headers["x-total-running"] = String(page.totalRunning);
    return { status: 200, body: page.entries.map(sandboxApiJson.listed), headers };
  });
  // v1: running sandboxes only, all at once.
  on("GET", "/sandboxes", ({ query }) => {
    const running = registry.entries().filter((entry) => !entry.sandbox.paused);
    const filter = new URLSearchParams({ metadata: query.get("metadata") ?? "" });
    const page = listSandboxEntries(running, filter);
    return { status: 200, body: page.entries.map(sandboxApiJson.listed) };
  });

  on("GET", "/sandboxes/:id", ({ params: { id } }) => ({
    status: 200,
    body: sandboxApiJson.detail(live(id)),
  }));

  on("DELETE", "/sandboxes/:id", async ({ params: { id } }) => {
    await live(id).sandbox.kill("killed through the API");
    return { status: 204 };
  });

  on("POST", "/sandboxes/:id/timeout", ({ params: { id }, body }) => {
    running(id).setTimeout(timeoutSchema.parse(body).timeout * 1000);
    return { status: 204 };
  });

  on("POST", "/sandboxes/:id/pause", async ({ params: { id }, body }) => {
    const { sandbox } = live(id);
    if (sandbox.paused) throw new ApiError(409, `sandbox ${id} is already paused`);
    const { memory } = pauseSchema.parse(body ?? {});
    await sandbox.pause({ keepMemory: memory ?? true });
    return { status: 204 };
  });

  const connect: Route = async ({ params: { id }, body }) => {
    const { sandbox } = live(id);
    const { timeout } = connectSchema.parse(body ?? {});
    if (sandbox.paused) {
      await sandbox.resume((timeout ?? defaultTimeoutSeconds) * 1000);
      return { status: 201, body: sandboxApiJson.created(sandbox) };
    }
    // Connecting never shortens a running sandbox's life.
    if (timeout && Date.now() + timeout * 1000 > sandbox.endAt.getTime()) {
      sandbox.setTimeout(timeout * 1000);
    }
    return { status: 200, body: sandboxApiJson.created(sandbox) };
  };
  on("POST", "/v2/sandboxes/:id/connect", connect);
  on("POST", "/sandboxes/:id/connect", connect);

  on("POST", "/sandboxes/:id/resume", async ({ params: { id }, body }) => {
    const { sandbox } = live(id);
    if (!sandbox.paused) throw new ApiError(409, `sandbox ${id} is already running`);
    const { timeout } = connectSchema.parse(body ?? {});
    await sandbox.resume((timeout ?? defaultResumeTimeoutSeconds) * 1000);
    return { status: 201, body: sandboxApiJson.created(sandbox) };
  });

  on("POST", "/sandboxes/:id/fork", async ({ params: { id }, body }) => {
    const sandbox = running(id);
    const request = forkSchema.parse(body ?? {});
    const forks = await registry.fork(
      sandbox.id,
      request.count ?? 1,
      (request.timeout ?? defaultTimeoutSeconds) * 1000,
    );
    const results = forks.map((fork) =>
      fork instanceof Error
        ? { error: errorBody(500, fork.message) }
        : { sandbox: sandboxApiJson.created(fork) },
    );
    return { status: 201, body: results };
  });

  on("POST", "/sandboxes/:id/snapshots", async ({ params: { id }, body }) => {
    const { sandbox } = live(id);
    const { name } = snapshotSchema.parse(body ?? {});
    const snapshot = await registry.createSnapshot(sandbox.id, name ?? undefined);
    return { status: 201, body: snapshotInfo(snapshot) };
  });

  on("GET", "/snapshots", ({ query }) => {
    const all = registry.snapshots.list({
      sandboxId: query.get("sandboxID") || undefined,
      name: query.get("name") || undefined,
    });
    const offset = query.get("nextToken") ? Number(query.get("nextToken")) : 0;
    const limit = query.get("limit") ? Number(query.get("limit")) : 100;
    if (!Number.isInteger(offset) || offset < 0) throw new ApiError(400, "invalid nextToken");
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      throw new ApiError(400, "invalid limit");
    const page = all.slice(offset, offset + limit);
    const headers: Record<string, string> =
      offset + limit < all.length ? { "x-next-token": String(offset + limit) } : {};
    return { status: 200, body: page.map(snapshotInfo), headers };
  });

  on("DELETE", "/templates/:id", async ({ params: { id } }) => {
    if (!(await registry.snapshots.delete(id ?? ""))) {
      throw new ApiError(404, `template '${id}' not found`);
    }
    return { status: 204 };
  });

  on("GET", "/sandboxes/:id/metrics", ({ params: { id } }) => {
    live(id);
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

/** `SnapshotInfo`. */
function snapshotInfo(snapshot: SandboxSnapshot) {
  return { snapshotID: snapshot.snapshotId, names: snapshot.names };
}
