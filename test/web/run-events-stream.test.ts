import { randomBytes } from "node:crypto";
import { createParser, type EventSourceMessage } from "eventsource-parser";
import { migrate } from "../../src/db/migrate.js";
import type { GitHubApp } from "../../src/github/create-github-app.js";
import { createRunEventsHandler } from "../../src/web/create-run-events-handler.js";
import { createSessionSigner } from "../../src/web/create-session-signer.js";
import { startWebServer, type WebServer } from "../../src/web/start-web-server.js";
import { createTestDatabase, type TestDatabase } from "../helpers/create-test-database.js";
import { insertTestRun } from "../helpers/insert-test-run.js";
import { testLogger } from "../helpers/test-logger.js";

/** A GitHub where every repository is public, counting what Ship asks it. */
function publicGitHub(calls: string[]): GitHubApp {
  return {
    installation: async (id: number) => ({
      rest: {
        repos: {
          get: async ({ owner, repo }: { owner: string; repo: string }) => {
            calls.push(`installation ${id}: GET /repos/${owner}/${repo}`);
            return { data: { private: false } };
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

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrate(db.pool, testLogger());
    calls = [];
    web = await startWebServer({
      config: { server: { host: "127.0.0.1", port: 0 }, webhookProxyUrl: undefined },
      handlers: [
        createRunEventsHandler({
          pool: db.pool,
          github: publicGitHub(calls),
          signer: createSessionSigner(randomBytes(32)),
          githubUrl: "http://127.0.0.1:9",
          log: testLogger(),
          closing: closing.signal,
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
});
