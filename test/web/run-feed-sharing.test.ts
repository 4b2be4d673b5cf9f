import { randomBytes } from "node:crypto";
import { createParser, type EventSourceMessage } from "eventsource-parser";
import type pg from "pg";
import { migrate } from "../../src/db/migrate.js";
import type { GitHubApp } from "../../src/github/create-github-app.js";
import { createRunEventsHandler } from "../../src/web/create-run-events-handler.js";
import { createSessionSigner } from "../../src/web/create-session-signer.js";
import { startWebServer, type WebServer } from "../../src/web/start-web-server.js";
import { createTestDatabase, type TestDatabase } from "../helpers/create-test-database.js";
import { insertTestRun } from "../helpers/insert-test-run.js";
import { testLogger } from "../helpers/test-logger.js";

/** A GitHub where repository 2 (octo/hello) is public. */
const publicGitHub = {
  installation: async () => ({
    request: async () => ({
      data: { id: 2, owner: { login: "octo" }, name: "hello", private: false },
    }),
  }),
} as unknown as GitHubApp;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("live logs of one run", () => {
  let db: TestDatabase;
  let web: WebServer;
  let queries = 0;
  const closing = new AbortController();

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrate(db.pool, testLogger());
    // Every query the live logs make, counted.
    const counted = {
      query: (text: string, values?: unknown[]) => {
        queries++;
        return db.pool.query(text, values);
      },
    } as unknown as pg.Pool;
    web = await startWebServer({
      config: { server: { host: "127.0.0.1", port: 0 }, webhookProxyUrl: undefined },
      handlers: [
        createRunEventsHandler({
          pool: counted,
          github: publicGitHub,
          signer: createSessionSigner(randomBytes(32)),
          githubUrl: "http://127.0.0.1:9",
          log: testLogger(),
          closing: closing.signal,
          streamLimits: { perClient: 100, total: 100 },
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

  /** Opens a live log; resolves once it is open, with what it will have received when it ends. */
  async function openStream(runId: number): Promise<{ ended: Promise<EventSourceMessage[]> }> {
    const response = await fetch(`http://127.0.0.1:${web.port}/runs/${runId}/events`);
    expect(response.status).toBe(200);
    // Wrapped: an async function would wait for a returned promise itself.
    const ended = response.text().then((text) => {
      const events: EventSourceMessage[] = [];
      createParser({ onEvent: (event) => events.push(event) }).feed(text);
      return events;
    });
    return { ended };
  }

  async function queriesPerSecond(windowMs: number): Promise<number> {
    const before = queries;
    await sleep(windowMs);
    return ((queries - before) * 1000) / windowMs;
  }

  it("share one database poll: queries per second do not grow with viewers, each gets every event once, in order", async () => {
    const runId = await insertTestRun(db.pool);
    await db.pool.query("UPDATE runs SET state = 'running' WHERE id = $1", [runId]);
    await db.pool.query(
      `INSERT INTO run_events (run_id, kind, data) VALUES ($1, 'agent.message', '{"text":"before any viewer"}')`,
      [runId],
    );

    const streams = [await openStream(runId)];
    await sleep(500); // its own backlog read, then it follows the feed
    const withOne = await queriesPerSecond(3_000);

    for (let i = 0; i < 24; i++) streams.push(await openStream(runId));
    await sleep(500);
    const withMany = await queriesPerSecond(3_000);
    // One run row, one page of events and one summary (two reads) per second, however many watch.
    expect(withOne).toBeGreaterThan(0);
    expect(withMany).toBeLessThanOrEqual(withOne * 1.5 + 1);

    for (let i = 1; i <= 6; i++) {
      await db.pool.query(
        `INSERT INTO run_events (run_id, kind, data) VALUES ($1, 'agent.message', $2)`,
        [runId, JSON.stringify({ text: `message ${i}` })],
      );
      await sleep(i % 2 ? 700 : 150);
    }
    await db.pool.query("UPDATE runs SET state = 'succeeded' WHERE id = $1", [runId]);

    const expected = [
      "before any viewer",
      ...Array.from({ length: 6 }, (_, i) => `message ${i + 1}`),
    ];
    for (const events of await Promise.all(streams.map((stream) => stream.ended))) {
      const entries = events.filter((event) => event.event === "entry");
      expect(entries.map((entry) => /before any viewer|message \d/.exec(entry.data)?.[0])).toEqual(
        expected,
      );
      // Ids strictly increase: nothing sent twice, nothing out of order.
      const ids = entries.map((entry) => Number(entry.id));
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(new Set(ids).size).toBe(ids.length);
      expect(events.at(-1)).toMatchObject({ event: "end", data: "succeeded" });
    }

    // Everyone left: the poll stops.
    await sleep(200);
    expect(await queriesPerSecond(2_000)).toBe(0);
  }, 30_000);

  it("stops polling when the last viewer closes the page, and a made-up Last-Event-ID hides nothing from others", async () => {
    const runId = await insertTestRun(db.pool);
    const stop = new AbortController();
    const response = await fetch(`http://127.0.0.1:${web.port}/runs/${runId}/events`, {
      signal: stop.signal,
      headers: { "last-event-id": "999999999" },
    });
    expect(response.status).toBe(200);
    const honest = await openStream(runId);
    await sleep(300);
    await db.pool.query(
      `INSERT INTO run_events (run_id, kind, data) VALUES ($1, 'agent.message', '{"text":"seen by all"}')`,
      [runId],
    );
    await sleep(1_500);
    stop.abort();
    await db.pool.query("UPDATE runs SET state = 'failed' WHERE id = $1", [runId]);
    const events = await honest.ended;
    expect(events.filter((event) => event.event === "entry").map((event) => event.data)).toEqual([
      expect.stringContaining("seen by all"),
    ]);
    await sleep(200);
    expect(await queriesPerSecond(2_000)).toBe(0);
  }, 15_000);
});
