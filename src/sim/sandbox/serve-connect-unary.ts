import type { IncomingMessage, ServerResponse } from "node:http";
import { ConnectRpcError } from "./connect-rpc-error.js";
import { readBody } from "./read-body.js";

/**
 * Serves one unary Connect call with the JSON codec: the body is the request message,
 * a 200 carries the response message, anything else carries `{code, message}` with the
 * HTTP status the protocol assigns to the code.
 */
export async function serveConnectUnary(
  req: IncomingMessage,
  res: ServerResponse,
  handle: (message: unknown) => Promise<unknown> | unknown,
): Promise<void> {
  let reply: unknown;
  try {
    const contentType = req.headers["content-type"] ?? "";
    if (!contentType.startsWith("application/json")) {
      throw new ConnectRpcError(
        "unimplemented",
        `content type ${contentType || "(none)"} is not supported; the stand-in speaks Connect with JSON only`,
      );
    }
    const body = await readBody(req);
    reply = await handle(body.length === 0 ? {} : JSON.parse(body.toString("utf8")));
  } catch (error) {
    const rpcError = ConnectRpcError.from(error);
    if (!res.headersSent) {
      res.writeHead(rpcError.httpStatus, { "content-type": "application/json" });
    }
    res.end(JSON.stringify(rpcError));
    return;
  }
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify(reply));
}
