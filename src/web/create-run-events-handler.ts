import { once } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { getRun } from "../runs/get-run.js";
import { listRunEvents } from "../runs/list-run-events.js";
import { isFinished, type Run } from "../runs/run.js";
import type { RunEvent } from "../runs/run-event.js";
import { buildRunSummary, signActionTokens } from "./build-run-summary.js";
import { createRunDiffReader } from "./create-run-diff-reader.js";
import { createRunFeed, feedPageSize, type RunFeed, type RunFeedTick } from "./create-run-feed.js";
import { createViewerAccessCache } from "./create-viewer-access-cache.js";
import { formatServerSentEvent } from "./format-server-sent-event.js";
import { isTimelineEvent } from "./is-timeline-event.js";
import { readSession } from "./read-session.js";
import { renderRunEvent } from "./render-run-event.js";
import type { RunPagesDependencies } from "./run-pages-dependencies.js";

const path = /^\/runs\/(\d+)\/events$/;
/** How often a run's feed looks for new events; the worker may be another process. */
const pollMs = 1_000;
/** Output a stream may have waiting for a browser that does not read it. */
const maxBufferedBytes = 4 * 1024 * 1024;
/** A comment line now and then keeps proxies from closing a quiet stream. */
const keepAliveMs = 15_000;
/**
 * Streams of one run share one poll (`createRunFeed`), but each still holds a socket, an
 * access check and its own backlog read: a browser needs one per open run page.
 */
export const defaultStreamLimits = { perClient: 8, total: 200 };

/**
 * `GET /runs/<id>/events`: the run's log as Server-Sent Events, for its page. Sends
 * each new event (`entry`, rendered HTML, with its id so a reconnecting browser resumes
 * after `Last-Event-ID`), the summary whenever it changes (`summary`), and `end` once
 * the run is over and every event was sent. Reads the database, so it works whichever
 * process runs the run. A stream reads its own backlog once, then follows the run's one
 * shared feed (made per handler, gone when the run's last viewer leaves). Closes when
 * the visitor leaves or the server stops (`closing`).
 */
export function createRunEventsHandler(
  deps: RunPagesDependencies & {
    closing: AbortSignal;
    /** Streams open at once per client (signed-in person, else address) and in all. */
    streamLimits?: { perClient: number; total: number };
  },
) {
  const readAccess = deps.readAccess ?? createViewerAccessCache();
  const readDiff = deps.readDiff ?? createRunDiffReader({ github: deps.github, log: deps.log });
  const limits = deps.streamLimits ?? defaultStreamLimits;
  const open = new Map<string, number>();
  let total = 0;
  const feeds = new Map<number, RunFeed>();
  const feedOf = (runId: number, cursor: number): RunFeed => {
    const existing = feeds.get(runId);
    if (existing) return existing;
    const feed = createRunFeed({
      db: deps.pool,
      runId,
      cursor,
      pollMs,
      closing: deps.closing,
      log: deps.log,
      onIdle: () => {
        if (feeds.get(runId) === feed) feeds.delete(runId);
      },
    });
    feeds.set(runId, feed);
    return feed;
  };
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? "/", "http://ship.local");
    const match = path.exec(url.pathname);
    if (!match || req.method !== "GET") return false;
    const runId = Number(match[1]);
    const session = readSession(req, deps.signer);
    // Refused before any query: a flood of streams costs neither GitHub nor the database.
    const client = session ? `user:${session.userId}` : `address:${req.socket.remoteAddress}`;
    const mine = open.get(client) ?? 0;
    if (mine >= limits.perClient || total >= limits.total) {
      res
        .writeHead(429, { "content-type": "text/plain; charset=utf-8", "retry-after": "30" })
        .end("Too many live logs open; reload the page later.\n");
      return true;
    }
    open.set(client, mine + 1);
    total++;
    try {
      await stream(req, res, url, runId, session);
    } finally {
      total--;
      const left = (open.get(client) ?? 1) - 1;
      if (left > 0) open.set(client, left);
      else open.delete(client);
    }
    return true;
  };

  async function stream(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    runId: number,
    session: ReturnType<typeof readSession>,
  ): Promise<void> {
    const first = await getRun(deps.pool, runId);
    const access = first
      ? await readAccess({
          github: deps.github,
          installationId: first.installationId,
          repository: first.repository,
          repositoryId: first.repositoryId,
          session,
          log: deps.log,
        })
      : undefined;
    if (!first || access?.kind !== "visible") {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Not found\n");
      return;
    }

    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      "x-accel-buffering": "no",
    });
    const gone = new AbortController();
    res.on("close", () => gone.abort());
    const stop = AbortSignal.any([gone.signal, deps.closing]);
    const send = (event: string, data: string, id?: number) => {
      res.write(formatServerSentEvent(event, data, id));
    };

    const tokens = signActionTokens(deps.signer, access, runId);
    const summaryKey =
      tokens && access.session
        ? `writer:${access.session.userId}`
        : access.session
          ? "reader"
          : "anonymous";
    const buildSummary = (run: Run) =>
      buildRunSummary({
        pool: deps.pool,
        run,
        viewer: access,
        tokens,
        githubUrl: deps.githubUrl,
        readDiff,
        ...(deps.prices ? { prices: deps.prices } : {}),
      });
    let sent = Number(req.headers["last-event-id"] ?? url.searchParams.get("after") ?? 0) || 0;
    let lastSummary = "";
    let quietSince = Date.now();
    /** The newest event id read from the database (`sent` may be a browser's made-up id). */
    let newestRead = 0;
    const sendEvents = (events: RunEvent[]) => {
      for (const event of events) {
        if (event.id <= sent) continue; // read by both this viewer's catch-up and the feed
        // The page's Timeline (in the summary) shows phases; the log does not repeat them.
        if (!isTimelineEvent(event)) send("entry", renderRunEvent(event), event.id);
        sent = event.id;
        quietSince = Date.now();
      }
    };
    const sendSummary = (summary: string) => {
      if (summary === lastSummary) return;
      send("summary", summary);
      lastSummary = summary;
    };
    /** This viewer's own backlog (after `sent`), read once; true when it reached the newest event. */
    const catchUp = async (upTo = Number.POSITIVE_INFINITY): Promise<boolean> => {
      while (!stop.aborted) {
        const page = await listRunEvents(deps.pool, runId, { after: sent, limit: feedPageSize });
        newestRead = Math.max(newestRead, page.at(-1)?.id ?? 0);
        sendEvents(page);
        if (page.length < feedPageSize) return true;
        if (sent >= upTo) return false;
        if (res.writableNeedDrain) await once(res, "drain", { signal: stop }).catch(() => {});
      }
      return false;
    };

    try {
      // `first` was read before the backlog: finished then and the backlog read to its end
      // means every event was sent.
      const complete = await catchUp();
      sendSummary(await buildSummary(first));
      if (complete && isFinished(first.state)) {
        send("end", first.state);
        res.end();
        return;
      }
      const ticks: RunFeedTick[] = [];
      let wake: (() => void) | undefined;
      // A new feed starts at the newest event the database holds, never at a browser's
      // Last-Event-ID: a made-up id would hide the run's next events from every viewer.
      const start = feeds.has(runId)
        ? 0
        : newestRead || ((await listRunEvents(deps.pool, runId, { limit: 1 }))[0]?.id ?? 0);
      const feed = feedOf(runId, start);
      const leave = feed.join({
        summaryKey,
        buildSummary,
        receive(tick) {
          ticks.push(tick);
          wake?.();
        },
      });
      try {
        // The feed may have read further than this viewer's backlog did.
        if (feed.cursor > sent) await catchUp(feed.cursor);
        while (!stop.aborted) {
          const tick = ticks.shift();
          if (!tick) {
            await new Promise<void>((resolve) => {
              const done = () => {
                clearTimeout(timer);
                stop.removeEventListener("abort", done);
                wake = undefined;
                resolve();
              };
              const timer = setTimeout(done, keepAliveMs);
              wake = done;
              stop.addEventListener("abort", done);
            });
          } else if (tick.kind === "gone") {
            break;
          } else {
            sendEvents(tick.events);
            sendSummary(tick.summary);
            if (tick.finished) {
              send("end", tick.run.state);
              break;
            }
          }
          // A browser that reads nothing is let go, not buffered for; it resumes by Last-Event-ID.
          if (res.writableLength > maxBufferedBytes) break;
          if (Date.now() - quietSince > keepAliveMs) {
            res.write(": still here\n\n");
            quietSince = Date.now();
          }
        }
      } finally {
        leave();
      }
    } catch (error) {
      if (!stop.aborted) deps.log.warn({ err: error, runId }, "run event stream failed");
    }
    res.end();
  }
}
