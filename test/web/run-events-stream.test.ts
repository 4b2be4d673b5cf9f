import { randomBytes } from "node:crypto";
import { createParser, type EventSourceMessage } from "eventsource-parser";
import { migrate } from "../../src/db/migrate.js";
import type { GitHubApp } from "../../src/github/create-github-app.js";
import { createRunEventsHandler } from "../../src/web/create-run-events-handler.js";
import { createRunHistoryHandler } from "../../src/web/create-run-history-handler.js";
import { createRunPageHandler } from "../../src/web/create-run-page-handler.js";
import { createSessionSigner } from "../../src/web/create-session-signer.js";
import { createViewerAccessCache } from "../../src/web/create-viewer-access-cache.js";
import { startWebServer, type WebServer } from "../../src/web/start-web-server.js";
import { createTestDatabase, type TestDatabase } from "../helpers/create-test-database.js";
import { insertTestRun } from "../helpers/insert-test-run.js";
import { testLogger } from "../helpers/test-logger.js";

/**
 * A GitHub where every repository is public and everyone may read, counting calls.
 * Repository 2 is octo/hello, any other id octo/views.
 */
function publicGitHub(calls: string[]): GitHubApp {
  return {
    installation: async (id: number) => ({
      request: async (_route: string, { repository_id }: { repository_id: number }) => {
        calls.push(`installation ${id}: GET /repositories/${repository_id}`);
        const name = repository_id === 2 ? "hello" : "views";
        return { data: { id: repository_id, owner: { login: "octo" }, name, private: false } };
      },
      rest: {
        repos: {
          getCollaboratorPermissionLevel: async (p: { repo: string; username: string }) => {
            calls.push(`installation ${id}: permission of ${p.username} on ${p.repo}`);
            return { data: { permission: "read", role_name: "read", user: { id: 7 } } };
          },
        },
      },
    }),
  } as unknown as GitHubApp;
}

/** What a browser's EventSource dispatches from a whole stream, in order. */
function received(stream: string): EventSourceMessage[] {
  const events: EventSourceMessage[] = [];
  createParser({ onEvent: (event) => events.push(event) }).feed(stream);
  return events;
}

describe("the live log through the real HTTP server", () => {
  let db: TestDatabase;
  let web: WebServer;
  let calls: string[];
  const closing = new AbortController();
  const signer = createSessionSigner(randomBytes(32));
  const cookieOf = (userId: number, login: string) =>
    `${signer.cookies.session}=${signer.sign(`session:${JSON.stringify({ userId, login })}`, 60_000)}`;
  const url = (path: string) => `http://127.0.0.1:${web.port}${path}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrate(db.pool, testLogger());
    calls = [];
    // As Ship wires them: one access cache for the page, its live log and the history.
    const pages = {
      pool: db.pool,
      github: publicGitHub(calls),
      signer,
      githubUrl: "http://127.0.0.1:9",
      log: testLogger(),
      readAccess: createViewerAccessCache(),
    };
    web = await startWebServer({
      config: { server: { host: "127.0.0.1", port: 0 }, webhookProxyUrl: undefined },
      handlers: [
        createRunHistoryHandler(pages),
        createRunPageHandler(pages),
        createRunEventsHandler({
          ...pages,
          closing: closing.signal,
          streamLimits: { perClient: 2, total: 3 },
        }),
      ],
      log: testLogger(),
    });
  });
  afterAll(async () => {
    closing.abort();
    await web?.stop();
    await db?.drop();
  });

  it("sends a log entry holding CR, LF and CRLF as one entry, and ends with the run", async () => {
    const runId = await insertTestRun(db.pool);
    const forged = "x\revent: end\rdata: succeeded\r\rid: 99\r\nevent: summary\ndata: forged";
    await db.pool.query(
      `INSERT INTO run_events (run_id, kind, data) VALUES
         ($1, 'agent.todos', $2), ($1, 'agent.message', '{"text":"after"}')`,
      [runId, JSON.stringify({ todos: [{ content: forged, status: "pending" }] })],
    );
    await db.pool.query("UPDATE runs SET state = 'succeeded' WHERE id = $1", [runId]);

    const response = await fetch(`http://127.0.0.1:${web.port}/runs/${runId}/events`);
    expect(response.status).toBe(200);
    const events = received(await response.text());
    expect(events.map((e) => e.event)).toEqual(["entry", "entry", "summary", "end"]);
    expect(events[0]?.data).toContain("x\nevent: end\ndata: succeeded\n\nid: 99\nevent: summary");
    expect(events[1]?.data).toContain("after");
    expect(events[3]?.data).toBe("succeeded");
  });

  it("asks GitHub once for 100 views of a run's page, live log and history", async () => {
    const runId = await insertTestRun(db.pool);
    // A repository of its own, so that no earlier test's view is remembered.
    await db.pool.query(
      "UPDATE runs SET state = 'succeeded', repository = 'octo/views', repository_id = 99 WHERE id = $1",
      [runId],
    );
    calls.length = 0;
    const view = async (path: string) => {
      const response = await fetch(url(path));
      await response.text();
      return response.status;
    };
    // Pages and history side by side (sharing the call in flight), live logs one by one
    // (two at a time would be this address's limit).
    const views = await Promise.all(
      Array.from({ length: 66 }, (_, i) =>
        view(i % 2 ? `/runs/${runId}` : "/runs?repo=octo/views"),
      ),
    );
    for (let i = 0; i < 34; i++) views.push(await view(`/runs/${runId}/events`));
    expect(new Set(views)).toEqual(new Set([200]));
    expect(calls).toEqual(["installation 1: GET /repositories/99"]);
    // A signed-in person is checked on their own, once.
    for (let i = 0; i < 10; i++) {
      expect(
        (await fetch(url(`/runs/${runId}`), { headers: { cookie: cookieOf(7, "mona") } })).status,
      ).toBe(200);
    }
    expect(calls).toEqual([
      "installation 1: GET /repositories/99",
      "installation 1: GET /repositories/99",
      "installation 1: permission of mona on views",
    ]);
  });

  it("caps live logs open at once per client and in all", async () => {
    const runId = await insertTestRun(db.pool); // queued: its stream stays open
    const opened: AbortController[] = [];
    const open = async (cookie?: string) => {
      const stop = new AbortController();
      const response = await fetch(url(`/runs/${runId}/events`), {
        signal: stop.signal,
        headers: cookie ? { cookie } : {},
      });
      if (response.status === 200) opened.push(stop);
      else await response.text();
      return response.status;
    };
    try {
      // Two for this address, the third refused; a signed-in person counts on their own.
      expect([await open(), await open(), await open()]).toEqual([200, 200, 429]);
      expect(await open(cookieOf(8, "hubot"))).toBe(200);
      // Three open in all: nobody else gets one.
      expect(await open(cookieOf(9, "octocat"))).toBe(429);
      // Closing one makes room again.
      opened.shift()?.abort();
      let status = 0;
      for (let tries = 0; tries < 50 && status !== 200; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        status = await open(cookieOf(9, "octocat"));
      }
      expect(status).toBe(200);
    } finally {
      for (const stop of opened) stop.abort();
    }
  });
});
