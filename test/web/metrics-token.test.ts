import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Counter, Registry } from "prom-client";
import { createMetricsHandler } from "../../src/web/create-metrics-handler.js";

async function serve(token: string | undefined): Promise<{ url: string; server: Server }> {
  const registry = new Registry();
  new Counter({ name: "ship_test_total", help: "a test series", registers: [registry] }).inc();
  const handle = createMetricsHandler(registry, token);
  const server = createServer(async (req, res) => {
    if (!(await handle(req, res))) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`, server };
}

describe("/metrics", () => {
  it("with SHIP_METRICS_TOKEN, answers 401 without the bearer token and 200 with it", async () => {
    const { url, server } = await serve("metrics-token-123");
    try {
      const anonymous = await fetch(url);
      expect(anonymous.status).toBe(401);
      expect(await anonymous.text()).not.toContain("ship_test_total");
      for (const authorization of [
        "Bearer wrong",
        "Bearer metrics-token-12",
        "metrics-token-123",
        "Basic metrics-token-123",
      ]) {
        expect((await fetch(url, { headers: { authorization } })).status).toBe(401);
      }
      const allowed = await fetch(url, { headers: { authorization: "Bearer metrics-token-123" } });
      expect(allowed.status).toBe(200);
      expect(await allowed.text()).toContain("ship_test_total 1");
    } finally {
      server.close();
    }
  });

  it("without a token, stays open", async () => {
    const { url, server } = await serve(undefined);
    try {
      expect((await fetch(url)).status).toBe(200);
    } finally {
      server.close();
    }
  });
});
