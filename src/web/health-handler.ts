import type { IncomingMessage, ServerResponse } from "node:http";

/** `GET /healthz`: 200 while the process is up and serving HTTP. */
export function healthHandler(req: IncomingMessage, res: ServerResponse): boolean {
  const path = req.url?.split("?")[0];
  if (path !== "/healthz") return false;
  res.writeHead(200, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
  res.end("ok\n");
  return true;
}
