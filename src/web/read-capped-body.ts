import type { IncomingMessage } from "node:http";

/**
 * Reads a request's body whole unless it is longer than `maxBytes`: a declared
 * `content-length` over the cap is refused before a byte is read, and a body without one
 * (chunked) stops being read as soon as it passes the cap. Returns `undefined` when over,
 * leaving the request paused so the caller can answer and close the connection.
 */
export function readCappedBody(
  req: IncomingMessage,
  maxBytes: number,
): Promise<Buffer | undefined> {
  const declared = Number(req.headers["content-length"]);
  if (declared > maxBytes) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (body: Buffer | undefined, error?: Error) => {
      req.off("data", onData).off("end", onEnd).off("error", onError);
      if (error) reject(error);
      else resolve(body);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.pause();
        settle(undefined);
      } else chunks.push(chunk);
    };
    const onEnd = () => settle(Buffer.concat(chunks, size));
    const onError = (error: Error) => settle(undefined, error);
    req.on("data", onData).on("end", onEnd).on("error", onError);
  });
}
