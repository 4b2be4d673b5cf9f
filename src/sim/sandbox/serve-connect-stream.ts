import type { IncomingMessage, ServerResponse } from "node:http";
import { ConnectRpcError } from "./connect-rpc-error.js";
import { readBody } from "./read-body.js";

/** The server side of one server-streaming Connect call. */
export interface ConnectStream {
  /** Sends one response message; ignored once the stream has ended. */
  send(message: object): void;
  /** Ends the stream, with an error in the end-of-stream message when given. */
  end(error?: ConnectRpcError): void;
  /** Aborted when the stream ends for any reason, the client going away included. */
  readonly signal: AbortSignal;
  /**
   * Aborted when the deadline the client set (`Connect-Timeout-Ms`) passes, even if the
   * client has gone by then; not once the stream has ended.
   */
  readonly deadline: AbortSignal;
  /** Request headers, for per-call options such as `Keepalive-Ping-Interval`. */
  readonly headers: IncomingMessage["headers"];
}

const endStreamFlag = 0x02;
const compressedFlag = 0x01;

/**
 * Serves one server-streaming Connect call with the JSON codec
 * (`application/connect+json`): the request and every response message travel in
 * 5-byte-prefixed envelopes (flags, big-endian length), and the stream always closes
 * with an end-of-stream envelope (flag 0x02) holding `{}` or `{"error": {...}}`.
 * The deadline is enforced here; what expiring means for the work (envd kills a
 * started process) is the handler's business, through `deadline`.
 */
export async function serveConnectStream(
  req: IncomingMessage,
  res: ServerResponse,
  handle: (message: unknown, stream: ConnectStream) => Promise<void> | void,
): Promise<void> {
  const lifetime = new AbortController();
  const deadline = new AbortController();
  let ended = false;
  let timer: NodeJS.Timeout | undefined;

  const stream: ConnectStream = {
    signal: lifetime.signal,
    deadline: deadline.signal,
    headers: req.headers,
    send(message) {
      if (ended || res.destroyed) return;
      res.write(envelope(0, message));
    },
    end(error) {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      if (!res.destroyed) res.end(envelope(endStreamFlag, error ? { error } : {}));
      lifetime.abort();
    },
  };
  res.on("close", () => {
    ended = true;
    // The deadline outlives a client that went away: envd still kills the command then.
    lifetime.abort();
  });

  res.writeHead(200, { "content-type": "application/connect+json" });
  // Clients wait for headers before reading events; send them before the first one.
  res.flushHeaders();
  try {
    const contentType = req.headers["content-type"] ?? "";
    if (!contentType.startsWith("application/connect+json")) {
      throw new ConnectRpcError(
        "unimplemented",
        `content type ${contentType || "(none)"} is not supported; the stand-in speaks Connect with JSON only`,
      );
    }
    const message = parseRequestEnvelope(await readBody(req));
    const timeoutMs = Number(req.headers["connect-timeout-ms"]);
    if (Number.isFinite(timeoutMs) && timeoutMs > 0) {
      timer = setTimeout(() => {
        deadline.abort();
        stream.end(
          new ConnectRpcError("deadline_exceeded", `deadline of ${timeoutMs} ms exceeded`),
        );
      }, timeoutMs);
      timer.unref();
    }
    await handle(message, stream);
  } catch (error) {
    stream.end(ConnectRpcError.from(error));
  }
}

function envelope(flags: number, message: object): Buffer {
  const json = Buffer.from(JSON.stringify(message), "utf8");
  const frame = Buffer.alloc(5 + json.length);
  frame.writeUInt8(flags, 0);
  frame.writeUInt32BE(json.length, 1);
  json.copy(frame, 5);
  return frame;
}

function parseRequestEnvelope(body: Buffer): unknown {
  if (body.length < 5) throw new ConnectRpcError("invalid_argument", "missing request envelope");
  const flags = body.readUInt8(0);
  if (flags & compressedFlag) {
    throw new ConnectRpcError("unimplemented", "compressed request messages are not supported");
  }
  const length = body.readUInt32BE(1);
  if (body.length < 5 + length) {
    throw new ConnectRpcError("invalid_argument", "truncated request envelope");
  }
  return JSON.parse(body.subarray(5, 5 + length).toString("utf8"));
}
