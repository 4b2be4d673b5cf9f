import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Registry } from "prom-client";

/**
 * `GET /metrics`: Ship's series in Prometheus's text format. With `token`
 * (SHIP_METRICS_TOKEN), only to `Authorization: Bearer <token>`: the series name
 * repositories and show activity, so a public port must not give them to anyone.
 */
export function createMetricsHandler(registry: Registry, token?: string) {
  // Compared as digests: equal lengths, constant time, no hint of the token's length.
  const expected = token === undefined ? undefined : digest(`Bearer ${token}`);
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.url?.split("?")[0] !== "/metrics" || req.method !== "GET") return false;
    if (expected && !timingSafeEqual(digest(req.headers.authorization ?? ""), expected)) {
      res.writeHead(401, {
        "content-type": "text/plain; charset=utf-8",
        "www-authenticate": 'Bearer realm="metrics"',
        "cache-control": "no-store",
      });
      res.end("Unauthorized\n");
      return true;
    }
    const body = await registry.metrics();
    res.writeHead(200, { "content-type": registry.contentType, "cache-control": "no-store" });
    res.end(body);
    return true;
  };
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}
