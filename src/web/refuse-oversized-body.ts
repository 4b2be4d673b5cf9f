import type { IncomingMessage, ServerResponse } from "node:http";

/** How long, and for how many more bytes, a refused body is read and thrown away. */
const lingerMs = 2_000;

/**
 * Answers 413 to a request whose body is over the cap, then closes the connection the way
 * web servers do ("lingering close"): the answer goes out first, what the sender is still
 * writing is read and dropped for up to two seconds or `maxDiscardBytes`, and only then is
 * the socket closed. Closing at once, with the sender's bytes unread, makes the kernel
 * reset the connection, and a reset can overtake the 413 (the sender then sees only
 * "connection reset"). Nothing read here is kept.
 */
export function refuseOversizedBody(
  req: IncomingMessage,
  res: ServerResponse,
  params: { message: string; maxDiscardBytes: number },
): void {
  const body = JSON.stringify({ error: params.message });
  res.writeHead(413, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
    connection: "close",
  });
  // Written but not ended: ending now would close the socket with the sender's bytes unread.
  res.write(body);
  let discarded = 0;
  const finish = () => {
    clearTimeout(timer);
    req.off("data", onData).off("end", finish).off("error", finish).off("close", finish);
    req.pause();
    if (!res.writableEnded) res.end();
  };
  const onData = (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > params.maxDiscardBytes) finish();
  };
  const timer = setTimeout(finish, lingerMs);
  timer.unref();
  req.on("data", onData).on("end", finish).on("error", finish).on("close", finish);
  req.resume();
}
