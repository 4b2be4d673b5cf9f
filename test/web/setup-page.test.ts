import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { readConfig } from "../../src/config/read-config.js";
import { createLogger } from "../../src/logging/create-logger.js";
import { findFreePort } from "../../src/net/find-free-port.js";
import { startSetupFlow } from "../../src/web/start-setup-flow.js";

/** Every JSON log line a setup-mode Ship writes, to check what an operator reads. */
function capturedLog() {
  const lines: Array<{ level: number; msg: string }> = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, log: createLogger({ level: "info", format: "json" }, destination) };
}

/** The manifest the page's button posts to GitHub. */
function manifestOf(page: string): Record<string, unknown> {
  const value = /name="manifest" id="manifest" value='([^']*)'/.exec(page)?.[1] ?? "{}";
  return JSON.parse(value.replace(/&#39;/g, "'").replace(/&amp;/g, "&"));
}

/**
 * The register-the-app page as someone installing Ship meets it after `npm start`, served
 * by the real setup-mode server (Probot's flow inside Ship's server).
 */
describe("setup mode: the register-the-app page", () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "ship-setup-"));

  async function start(env: Record<string, string>) {
    const port = await findFreePort();
    const config = readConfig({ HOST: "127.0.0.1", PORT: String(port), ...env }, dataDir);
    const { lines, log } = capturedLog();
    const flow = await startSetupFlow(config, log);
    return { base: `http://127.0.0.1:${port}`, port, lines, stop: () => flow.stop() };
  }

  it("registers the app with SHIP_PUBLIC_URL's callback and webhook URL, and says what to do next", async () => {
    const ship = await start({ SHIP_PUBLIC_URL: "https://ship.example.com" });
    try {
      const page = await (await fetch(`${ship.base}/probot`)).text();
      const manifest = manifestOf(page);
      expect(manifest).toMatchObject({
        name: "Ship",
        callback_urls: ["https://ship.example.com/auth/callback"],
        hook_attributes: { url: "https://ship.example.com/api/github/webhooks" },
        default_events: ["issue_comment", "issues", "pull_request_review_comment"],
      });
      expect(page).toContain("Welcome to Ship");
      // package.json's description, shown as text: no `<task>` read as a tag.
      expect(page).toContain(
        "<p>A GitHub App: comment &#34;/ship add a README&#34; on an issue, and a coding agent in a sandbox writes the draft pull request.</p>",
      );
      expect(page).not.toContain("To start building a GitHub App");
      expect(page).toContain("and run <code>npm start</code> again.");
      expect(page).toContain("<code>npm run playground -- &#34;add a README&#34;</code>");
      expect(page).toContain("set <code>WEBHOOK_PROXY_URL</code> to a channel from");
      // The page's own stylesheet and images are there, without a log line each.
      const before = ship.lines.length;
      for (const asset of ["primer.css", "robot.svg", "probot-head.svg"]) {
        expect((await fetch(`${ship.base}/probot/static/${asset}`)).status).toBe(200);
      }
      expect(ship.lines.length).toBe(before);
    } finally {
      await ship.stop();
    }
  });

  it("defaults to http://localhost:PORT, sends webhooks to WEBHOOK_PROXY_URL, and makes no smee channel of its own", async () => {
    const ship = await start({ WEBHOOK_PROXY_URL: "https://smee.io/abc123" });
    try {
      const manifest = manifestOf(await (await fetch(`${ship.base}/probot`)).text());
      expect(manifest).toMatchObject({
        callback_urls: [`http://localhost:${ship.port}/auth/callback`],
        hook_attributes: { url: "https://smee.io/abc123" },
      });
    } finally {
      await ship.stop();
    }
    const offline = await start({});
    try {
      expect((await fetch(`${offline.base}/healthz`)).status).toBe(200);
      const messages = offline.lines.map((line) => line.msg);
      expect(messages.join("\n")).not.toMatch(/smee\.io, try restarting|Welcome to Probot/);
      expect(offline.lines.filter((line) => line.level >= 40)).toEqual([]);
      expect(messages).toContain(
        `No WEBHOOK_PROXY_URL: the app will send webhooks to http://localhost:${offline.port}/api/github/webhooks; on a laptop, set WEBHOOK_PROXY_URL to a channel from https://smee.io/new before registering`,
      );
    } finally {
      await offline.stop();
    }
  });
});
