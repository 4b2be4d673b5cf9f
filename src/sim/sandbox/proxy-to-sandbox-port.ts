import {
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type ServerResponse,
} from "node:http";

/** Headers that describe one hop, never forwarded (RFC 9110 §7.6.1). */
const hopByHop = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
]);

/**
 * Forwards a request to a server a sandbox process listens on, as E2B's edge does for
 * `E2b-Sandbox-Port`. Sandboxes share the host's network, so that server is on
 * 127.0.0.1:`port`. The response streams through unbuffered (headers at once, each
 * chunk as it comes), so server-sent events arrive live; a client that goes away
 * closes the upstream request. A port nobody listens on answers E2B's 502.
 */
export function proxyToSandboxPort(
  req: IncomingMessage,
  res: ServerResponse,
  target: { sandboxId: string; port: number },
): void {
  const upstream = request({
    host: "127.0.0.1",
    port: target.port,
    method: req.method,
    path: req.url,
    headers: withoutHopByHop(req.headers),
  });
  upstream.on("response", (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.statusMessage, withoutHopByHop(answer.headers));
    res.flushHeaders();
    answer.pipe(res);
    answer.on("error", () => res.destroy());
  });
  upstream.on("error", () => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    // E2B's edge answer for a port nobody listens on, key order included.
    res.writeHead(502, { "content-type": "application/json; charset=utf-8" });
    res.end(
      JSON.stringify({
        message: "The sandbox is running but port is not open",
        sandboxId: target.sandboxId,
        port: target.port,
        code: 502,
      }),
    );
  });
  res.on("close", () => upstream.destroy());
  req.pipe(upstream);
}

function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const kept: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!hopByHop.has(name.toLowerCase()) && value !== undefined) kept[name] = value;
  }
  return kept;
}
