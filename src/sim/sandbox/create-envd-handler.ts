import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { ConnectRpcError } from "./connect-rpc-error.js";
import type { SandboxRegistry } from "./create-sandbox-registry.js";
import type { EnvdService } from "./envd-service.js";
import { filesystemRpc } from "./filesystem-rpc.js";
import { processRpc } from "./process-rpc.js";
import { proxyToSandboxPort } from "./proxy-to-sandbox-port.js";
import { sendSandboxNotFound } from "./send-sandbox-not-found.js";
import { serveConnectStream } from "./serve-connect-stream.js";
import { serveConnectUnary } from "./serve-connect-unary.js";
import { serveFiles } from "./serve-files.js";

/** The port envd listens on inside every E2B sandbox. */
const envdPort = 49983;

const services: Record<string, EnvdService> = {
  "process.Process": processRpc,
  "filesystem.Filesystem": filesystemRpc,
};

/** envd accepts these users; both run as the sandbox's one user here. */
const knownUsers = new Set(["user", "root"]);

/**
 * The handler behind `E2B_SANDBOX_URL`: one URL for every sandbox, routed as E2B's
 * shared sandbox host routes, by the `E2b-Sandbox-Id` and `E2b-Sandbox-Port` headers
 * the SDK sends. Port 49983 is envd (Connect RPCs, `/files`, `/health`), which checks
 * the sandbox's `X-Access-Token` (except `/health`); any other port is proxied to the
 * server a sandbox process listens on there, checking `e2b-traffic-access-token` when
 * the sandbox was created with public traffic off. An unknown, dead or paused sandbox
 * answers E2B's 502 "The sandbox was not found", which the SDK reads as "the sandbox
 * is not running"; a paused one created with auto-resume is resumed first.
 */
export function createEnvdHandler(params: {
  registry: SandboxRegistry;
  log: Logger;
}): (req: IncomingMessage, res: ServerResponse) => void {
  const { registry, log } = params;
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const sandboxId = header(req, "e2b-sandbox-id");
    const port = Number(header(req, "e2b-sandbox-port"));
    if (!sandboxId || !Number.isInteger(port) || port <= 0 || port > 65_535) {
      return sendJson(res, 400, {
        code: 400,
        message: "missing or invalid E2b-Sandbox-Id / E2b-Sandbox-Port headers",
      });
    }
    const sandbox = registry.get(sandboxId);
    if (!sandbox?.alive) {
      void registry
        .wake(sandboxId)
        .then((woken) => (woken ? handle(req, res) : sendSandboxNotFound(res, sandboxId)));
      return;
    }
    sandbox.track(res);

    if (port !== envdPort) {
      const token = header(req, "e2b-traffic-access-token");
      if (sandbox.trafficAccessToken && !sameSecret(token, sandbox.trafficAccessToken)) {
        return sendJson(res, 403, {
          code: 403,
          message: "missing or invalid e2b-traffic-access-token",
          sandboxId,
        });
      }
      return proxyToSandboxPort(req, res, { sandboxId, port });
    }

    const url = new URL(req.url ?? "/", "http://envd");
    if (url.pathname === "/health") {
      res.writeHead(req.method === "GET" ? 204 : 405).end();
      return;
    }
    const rpc = /^\/([a-z]+\.[A-Za-z]+)\/([A-Za-z]+)$/.exec(url.pathname);
    const authProblem = !sameSecret(header(req, "x-access-token"), sandbox.envdAccessToken)
      ? "missing or invalid X-Access-Token"
      : unknownUser(req);
    if (authProblem) {
      if (rpc) return sendJson(res, 401, new ConnectRpcError("unauthenticated", authProblem));
      return sendJson(res, 401, { code: 401, message: authProblem });
    }

    if (url.pathname === "/files") {
      void serveFiles(req, res, sandbox).catch((error) => fail(res, log, error));
      return;
    }
    const service = rpc ? services[rpc[1] ?? ""] : undefined;
    const method = rpc?.[2] ?? "";
    const unary = service?.unary[method];
    const stream = service?.stream[method];
    if (req.method === "POST" && unary) {
      void serveConnectUnary(req, res, (message) => unary(message, sandbox)).catch((error) =>
        fail(res, log, error),
      );
      return;
    }
    if (req.method === "POST" && stream) {
      void serveConnectStream(req, res, (message, call) => stream(message, call, sandbox)).catch(
        (error) => fail(res, log, error),
      );
      return;
    }
    if (rpc) {
      return sendJson(
        res,
        501,
        new ConnectRpcError("unimplemented", `${url.pathname} is not offered by the local sandbox`),
      );
    }
    sendJson(res, 404, { code: 404, message: `${url.pathname} not found` });
  };
  return handle;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** envd names the user in Basic auth (`user:`); no header means the default user. */
function unknownUser(req: IncomingMessage): string | undefined {
  const authorization = header(req, "authorization");
  if (!authorization) return undefined;
  const match = /^Basic\s+(\S+)$/i.exec(authorization);
  const username = match
    ? Buffer.from(match[1] ?? "", "base64")
        .toString("utf8")
        .split(":")[0]
    : "";
  return username && knownUsers.has(username)
    ? undefined
    : `unknown user in Authorization: ${username}`;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

function fail(res: ServerResponse, log: Logger, error: unknown): void {
  log.error({ err: error }, "envd stand-in request failed");
  if (!res.headersSent) sendJson(res, 500, { code: 500, message: String(error) });
  else res.destroy();
}
