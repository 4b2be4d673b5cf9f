import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhooks } from "@octokit/webhooks";

/** One webhook as the receiver got it. */
export interface ReceivedWebhook {
  id: string;
  name: string;
  headers: IncomingHttpHeaders;
  payload: Record<string, unknown>;
  /** Whether `X-Hub-Signature-256` verified with the app's secret (@octokit/webhooks). */
  verified: boolean;
}

/** A local app endpoint that records and verifies the webhooks the fake sends. */
export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Answer later deliveries with this status (200 by default). */
  respondWith(status: number): void;
  /** Holds every answer until the returned function is called. */
  hold(): () => void;
  stop(): Promise<void>;
}

/** Starts a receiver on 127.0.0.1 that checks signatures like an app would. */
export async function startWebhookReceiver(secret: string): Promise<WebhookReceiver> {
  const webhooks = new Webhooks({ secret });
  const received: ReceivedWebhook[] = [];
  let status = 200;
  let gate: Promise<void> = Promise.resolve();
  const server = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    const signature = String(req.headers["x-hub-signature-256"] ?? "");
    received.push({
      id: String(req.headers["x-github-delivery"]),
      name: String(req.headers["x-github-event"]),
      headers: req.headers,
      payload: JSON.parse(body) as Record<string, unknown>,
      verified: await webhooks.verify(body, signature).catch(() => false),
    });
    await gate;
    res.writeHead(status).end(status < 300 ? "ok" : "failed");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/github/webhooks`,
    received,
    respondWith(next) {
      status = next;
    },
    hold() {
      let release = () => {};
      gate = new Promise((resolve) => {
        release = resolve;
      });
      return release;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
