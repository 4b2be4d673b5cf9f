import { createHmac, randomUUID } from "node:crypto";
import { connect } from "node:net";
import type { WebServer } from "../../src/web/start-web-server.js";
import type { TestDatabase } from "../helpers/create-test-database.js";
import { sendWebhook } from "../helpers/send-webhook.js";
import { startWebhookServer, type WebhookServer } from "../helpers/start-webhook-server.js";
import { webhookExample } from "../helpers/webhook-example.js";

const secret = "webhook secret for tests";
const megabyte = 1024 * 1024;
/** The body sent in pieces of this size, all one reused buffer: the sender holds ~nothing. */
const piece = Buffer.alloc(64 * 1024, "a");

/** `{"zen":"aaa…"}` of about `size` bytes, as the pieces a sender writes. */
function* bigJson(size: number): Generator<Buffer> {
  yield Buffer.from('{"zen":"');
  for (let left = size - 10; left > 0; left -= piece.length) {
    yield left >= piece.length ? piece : piece.subarray(0, left);
  }
  yield Buffer.from('"}');
}

/** GitHub's signature of the body, computed as it streams by (nothing kept). */
function signatureOf(size: number): string {
  const hmac = createHmac("sha256", secret);
  for (const part of bigJson(size)) hmac.update(part);
  return `sha256=${hmac.digest("hex")}`;
}

interface Reply {
  status: number;
  headers: string;
  text: string;
  /** Body bytes the sender got onto the socket before Ship answered or closed it. */
  written: number;
}

/**
 * POSTs a big, correctly signed delivery with GitHub's headers over a raw socket, either
 * with its length declared or chunked (no length), writing as fast as Ship reads, and
 * stopping as soon as Ship has answered or closed the connection.
 */
function postBig(port: number, size: number, framing: "declared" | "chunked"): Promise<Reply> {
  const head = [
    "POST /api/github/webhooks HTTP/1.1",
    `Host: 127.0.0.1:${port}`,
    "Content-Type: application/json",
    "User-Agent: GitHub-Hookshot/test",
    "X-GitHub-Event: issue_comment",
    `X-GitHub-Delivery: ${randomUUID()}`,
    `X-Hub-Signature-256: ${signatureOf(size)}`,
    framing === "declared" ? `Content-Length: ${size}` : "Transfer-Encoding: chunked",
    "Connection: close",
    "",
    "",
  ].join("\r\n");
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    let written = 0;
    let closed = false;
    socket.setTimeout(30_000, () => socket.destroy(new Error("no answer within 30 s")));
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    // Ship may close while the sender still writes: the answer read so far is what counts.
    socket.on("error", () => {});
    socket.on("close", () => {
      closed = true;
      const response = Buffer.concat(chunks).toString("utf8");
      const status = /^HTTP\/1\.1 (\d{3})/.exec(response);
      if (!status?.[1]) {
        // Closed with nothing read: a close while the sender still writes can reset the
        // connection before its answer is read (status 0).
        if (response === "") {
          resolve({ status: 0, headers: "", text: "", written });
          return;
        }
        reject(new Error(`not an HTTP response: ${JSON.stringify(response.slice(0, 200))}`));
        return;
      }
      const split = response.indexOf("\r\n\r\n");
      resolve({
        status: Number(status[1]),
        headers: response.slice(0, split).toLowerCase(),
        text: response.slice(split + 4),
        written,
      });
    });
    const answered = () => closed || chunks.length > 0;
    (async () => {
      socket.write(head);
      for (const part of bigJson(size)) {
        if (answered()) return;
        const framed =
          framing === "chunked"
            ? Buffer.concat([
                Buffer.from(`${part.length.toString(16)}\r\n`),
                part,
                Buffer.from("\r\n"),
              ])
            : part;
        if (!socket.write(framed)) {
          await new Promise<void>((done) => {
            socket.once("drain", done);
            socket.once("close", done);
          });
        }
        written += part.length;
      }
      if (framing === "chunked" && !answered()) socket.write("0\r\n\r\n");
    })().catch(() => {});
  });
}

/** Runs `act` and reports how far this process's RSS rose above where it started. */
async function rssGrowth<T>(act: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const before = process.memoryUsage.rss();
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  try {
    const result = await act();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, growth: peak - before };
  } finally {
    clearInterval(sampler);
  }
}

describe("webhook body limit (GitHub sends at most 25 MB)", () => {
  let db: TestDatabase;
  let web: WebServer;
  let server: WebhookServer;

  beforeAll(async () => {
    server = await startWebhookServer({ secret });
    ({ db, web } = server);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("answers 413 to a declared 30 MB delivery at once, without reading it", async () => {
    const { result, growth } = await rssGrowth(() => postBig(web.port, 30 * megabyte, "declared"));
    console.log(
      `declared 30 MB: ${result.status}, ${(result.written / megabyte).toFixed(1)} MB written, RSS +${(growth / megabyte).toFixed(1)} MB`,
    );
    expect(result.status).toBe(413);
    expect(result.headers).toMatch(/\r\nconnection: close/);
    expect(growth).toBeLessThan(40 * megabyte);
    // Answered before the body arrived: what got written fits in socket buffers.
    expect(result.written).toBeLessThan(25 * megabyte);
  });

  it("stops reading a chunked 30 MB delivery once it passes 25 MB, and answers 413", async () => {
    const { result, growth } = await rssGrowth(() => postBig(web.port, 30 * megabyte, "chunked"));
    console.log(
      `chunked 30 MB: ${result.status}, ${(result.written / megabyte).toFixed(1)} MB written, RSS +${(growth / megabyte).toFixed(1)} MB`,
    );
    expect(result.status).toBe(413);
    expect(result.headers).toMatch(/\r\nconnection: close/);
    // Up to 25 MB is read before the cap is known to be passed, plus both sockets' buffers
    // and garbage not yet collected (37 MB seen on a loaded 2-core machine).
    expect(growth).toBeLessThan(48 * megabyte);
  });

  it("closes the connection on an endless chunked delivery soon after 25 MB", async () => {
    const result = await postBig(web.port, 300 * megabyte, "chunked");
    console.log(
      `chunked 300 MB: ${result.status}, ${(result.written / megabyte).toFixed(1)} MB written`,
    );
    // The 413 goes out before the close, so no reset can overtake it.
    expect(result.status).toBe(413);
    // 25 MB read, the rest of what got out sat in the two sockets' buffers.
    expect(result.written).toBeLessThan(60 * megabyte);
  });

  it("still takes a normal signed delivery, and a large one under the limit", async () => {
    const url = `http://127.0.0.1:${web.port}/api/github/webhooks`;
    const payload = webhookExample("installation_repositories", "added");
    const small = await sendWebhook({ url, secret, event: "installation_repositories", payload });
    expect(small.status).toBe(200);
    const big = await postBig(web.port, 24 * megabyte, "chunked");
    // Read whole and checked: a valid signature of JSON Ship does not act on.
    expect(big.status).toBe(200);
    const { rows } = await db.pool.query("SELECT event FROM deliveries WHERE id = $1", [
      small.deliveryId,
    ]);
    expect(rows).toEqual([{ event: "installation_repositories.added" }]);
  });
});
