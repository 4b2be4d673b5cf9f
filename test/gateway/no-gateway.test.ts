import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "@jest/globals";
import { createNoGatewayHandler } from "../../src/gateway/create-no-gateway-handler.js";

describe("a worker-only process asked for the model gateway", () => {
  it("says it is a worker and where the gateway is, in a shape model SDKs read", async () => {
    const handle = createNoGatewayHandler();
    const server = createServer((req, res) => {
      if (!handle(req, res)) res.writeHead(200).end("other");
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const response = await fetch(`${base}/llm/runs/1/sim/chat/completions`, {
        method: "POST",
        body: "{}",
      });
      expect(response.status).toBe(404);
      const body = (await response.json()) as { error: { message: string } };
      expect(body.error.message).toMatch(/is a worker \(SHIP_ROLE=worker\).*SHIP_GATEWAY_URL/);
      expect(await (await fetch(`${base}/healthz`)).text()).toBe("other");
    } finally {
      server.close();
    }
  });
});
