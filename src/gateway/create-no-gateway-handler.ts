import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * On a worker-only process (`SHIP_ROLE=worker`), which does not serve the model gateway:
 * answers `/llm/...` with an error that says where the gateway is, in the shape model
 * SDKs read, so a misdirected `SHIP_GATEWAY_URL` shows up in the run's status comment
 * as what it is, not as a bare "Not Found".
 */
export function createNoGatewayHandler() {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (!req.url?.startsWith("/llm/")) return false;
    const message =
      "This Ship process is a worker (SHIP_ROLE=worker) and does not serve the model gateway. Point SHIP_GATEWAY_URL (or SHIP_PUBLIC_URL) at Ship's web processes.";
    res.writeHead(404, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        type: "error",
        error: { type: "not_found_error", code: "no_gateway_here", message },
      }),
    );
    return true;
  };
}
