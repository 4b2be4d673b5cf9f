import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { getRun } from "../runs/get-run.js";
import { listRunEvents } from "../runs/list-run-events.js";
import { isFinished } from "../runs/run.js";
import { buildRunSummary, signActionTokens } from "./build-run-summary.js";
import { createViewerAccessCache } from "./create-viewer-access-cache.js";
import { formatServerSentEvent } from "./format-server-sent-event.js";
import { readSession } from "./read-session.js";
import { renderRunEvent } from "./render-run-event.js";
import type { RunPagesDependencies } from "./run-pages-dependencies.js";

const path = /^\/runs\/(\d+)\/events$/;
/** How often an open stream looks for new events; the worker may be another process. */
const pollMs = 1_000;
/** A comment line now and then keeps proxies from closing a quiet stream. */
const keepAliveMs = 15_000;
/**
 * Each open stream polls the database, which webhooks, the gateway and the worker share:
 * a browser needs one per open run page, a few hundred would starve the pool.
 */
export const defaultStreamLimits = { perClient: 8, total: 200 };

/**
 * `GET /runs/<id>/events`: the run's log as Server-Sent Events, for its page. Sends
 * each new event (`entry`, rendered HTML, with its id so a reconnecting browser resumes
 * after `Last-Event-ID`), the summary whenever it changes (`summary`), and `end` once
 * the run is over and every event was sent. Reads the database, so it works whichever
 * process runs the run. Closes when the visitor leaves or the server stops (`closing`).
 */
export function createRunEventsHandler(
  deps: RunPagesDependencies & {
    closing: AbortSignal;
    /** Streams open at once per client (signed-in person, else address) and in all. */
    streamLimits?: { perClient: number; total: number };
  },
) {
  const readAccess = deps.readAccess ?? createViewerAccessCache();
  const limits = deps.streamLimits ?? defaultStreamLimits;
  const open = new Map<string, number>();
  let total = 0;
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
    let after = Number(req.headers["last-event-id"] ?? url.searchParams.get("after") ?? 0) || 0;
    let lastSummary = "";
    let quietSince = Date.now();
    try {
      while (!stop.aborted) {
        const run = await getRun(deps.pool, runId);
        if (!run) break;
        const events = await listRunEvents(deps.pool, runId, { after, limit: 200 });
        for (const event of events) {
          send("entry", renderRunEvent(event), event.id);
          after = event.id;
        }
        const summary = await buildRunSummary({
          pool: deps.pool,
          run,
          viewer: access,
          tokens,
          githubUrl: deps.githubUrl,
        });
        if (summary !== lastSummary) {
          send("summary", summary);
          lastSummary = summary;
        }
        if (isFinished(run.state) && events.length < 200) {
          send("end", run.state);
          break;
        }
        if (events.length > 0) quietSince = Date.now();
        else if (Date.now() - quietSince > keepAliveMs) {
          res.write(": still here\n\n");
          quietSince = Date.now();
        }
        await sleep(pollMs, undefined, { signal: stop }).catch(() => {});
      }
    } catch (error) {
      if (!stop.aborted) deps.log.warn({ err: error, runId }, "run event stream failed");
    }
    res.end();
  }
}
