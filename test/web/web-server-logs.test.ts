import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { pino } from "pino";
import { createProbot } from "../../src/github/create-probot.js";
import type { AppDependencies } from "../../src/index.js";
import { startWebServer } from "../../src/web/start-web-server.js";
import { testLogger } from "../helpers/test-logger.js";
import { testPrivateKey } from "../helpers/test-private-key.js";

function capturingLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { log: pino({ level: "info" }, sink), output: () => lines.join("") };
}

describe("what the web server logs", () => {
  it("logs a failed request by its path, never its query (OAuth codes, retry tokens)", async () => {
    const { log, output } = capturingLogger();
    const web = await startWebServer({
      config: { server: { host: "127.0.0.1", port: 0 }, webhookProxyUrl: undefined },
      handlers: [
        () => {
          throw new Error("handler broke");
        },
      ],
      log,
    });
    try {
      const response = await fetch(
        `http://127.0.0.1:${web.port}/auth/callback?code=CODE-CANARY&state=STATE-CANARY`,
      );
      expect(response.status).toBe(500);
    } finally {
      await web.stop();
    }
    const failed = output()
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((entry) => entry.msg === "request failed");
    expect(failed).toMatchObject({ path: "/auth/callback", method: "GET" });
    expect(output()).not.toContain("CANARY");
  });

  it("writes no line per request: pages, health checks and unknown paths are answered quietly", async () => {
    const { log, output } = capturingLogger();
    const web = await startWebServer({
      config: { server: { host: "127.0.0.1", port: 0 }, webhookProxyUrl: undefined },
      webhooks: {
        probot: createProbot({
          app: { appId: 1, privateKey: testPrivateKey(), webhookSecret: "s" },
          githubApiUrl: "http://127.0.0.1:9/api/v3",
          throttle: false,
          log,
        }),
        deps: {} as AppDependencies,
      },
      log,
    });
    try {
      const started = output();
      for (const path of ["/healthz", "/probot/static/primer.css", "/favicon.ico", "/runs/1"]) {
        await (await fetch(`http://127.0.0.1:${web.port}${path}`)).text();
      }
      expect(output()).toBe(started);
    } finally {
      await web.stop();
    }
  });

  it("names the webhook proxy (smee) channel by its host only", async () => {
    // A smee channel: an event stream that stays open.
    const channel: Server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" }).write(": ready\n\n");
    });
    await new Promise<void>((resolve) => channel.listen(0, "127.0.0.1", resolve));
    const host = `127.0.0.1:${(channel.address() as AddressInfo).port}`;
    const source = `http://${host}/channel-CANARY-Xk2q`;
    const { log, output } = capturingLogger();
    const web = await startWebServer({
      config: { server: { host: "127.0.0.1", port: 0 }, webhookProxyUrl: source },
      webhooks: {
        probot: createProbot({
          app: { appId: 1, privateKey: testPrivateKey(), webhookSecret: "s" },
          githubApiUrl: "http://127.0.0.1:9/api/v3",
          throttle: false,
          log: testLogger(),
        }),
        // No delivery arrives in this test, so nothing reads the dependencies.
        deps: {} as AppDependencies,
      },
      log,
    });
    await web.stop();
    channel.closeAllConnections();
    await new Promise((resolve) => channel.close(resolve));
    expect(output()).toContain(`the webhook proxy at ${host}`);
    expect(output()).not.toContain("CANARY");
  });
});
