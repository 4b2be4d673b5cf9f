import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "pino";
import type { Queryable } from "../db/queryable.js";
import { getRun } from "../runs/get-run.js";
import { listRunEvents } from "../runs/list-run-events.js";
import { isFinished, type Run } from "../runs/run.js";
import type { RunEvent } from "../runs/run-event.js";

/** Events read per poll; a longer backlog is read over the next polls. */
export const feedPageSize = 200;

/** What one poll of a run found, as each viewer of it is told. */
export type RunFeedTick =
  | {
      kind: "update";
      run: Run;
      /** New events, oldest first (a viewer may already have some of them). */
      events: RunEvent[];
      /** The summary for the viewer's `summaryKey`. */
      summary: string;
      /** The run is over and every event up to now was in this or an earlier tick. */
      finished: boolean;
    }
  | { kind: "gone" };

/** One open live log of the run. */
export interface RunFeedViewer {
  /**
   * Viewers with the same key see the same summary (anonymous, signed-in reader, a
   * writer's own Cancel/Retry forms), so it is built once per key per poll.
   */
  summaryKey: string;
  buildSummary(run: Run): Promise<string>;
  receive(tick: RunFeedTick): void;
}

/** A run's shared poller: viewers join and leave; it polls while anyone watches. */
export interface RunFeed {
  /** The newest event id the feed has read (and will never send again). */
  readonly cursor: number;
  /** Starts `viewer`'s ticks; the function returned stops them. */
  join(viewer: RunFeedViewer): () => void;
}

/**
 * The one database poll of a run that all its open live logs share: a run watched by N
 * browsers costs the same queries per second as one watched by one (the run row, one page
 * of new events, and the summary's two reads per distinct summary key). Reads from
 * `cursor` on; calls `onIdle` (once) when its last viewer left or `closing` fired, and then
 * stops, so a fresh feed takes over for the next viewer.
 */
export function createRunFeed(params: {
  db: Queryable;
  runId: number;
  cursor: number;
  pollMs: number;
  closing: AbortSignal;
  log: Logger;
  onIdle: () => void;
}): RunFeed {
  const viewers = new Set<RunFeedViewer>();
  const idle = new AbortController();
  const stop = AbortSignal.any([idle.signal, params.closing]);
  let cursor = params.cursor;
  let started = false;

  const poll = async () => {
    while (!stop.aborted) {
      await sleep(params.pollMs, undefined, { signal: stop }).catch(() => {});
      if (stop.aborted) break;
      const run = await getRun(params.db, params.runId);
      if (!run) {
        for (const viewer of [...viewers]) viewer.receive({ kind: "gone" });
        break;
      }
      const events = await listRunEvents(params.db, params.runId, {
        after: cursor,
        limit: feedPageSize,
      });
      const last = events.at(-1);
      if (last) cursor = last.id;
      const builders = new Map<string, RunFeedViewer>();
      for (const viewer of viewers)
        if (!builders.has(viewer.summaryKey)) builders.set(viewer.summaryKey, viewer);
      const summaries = new Map(
        await Promise.all(
          [...builders].map(
            async ([key, viewer]) => [key, await viewer.buildSummary(run)] as const,
          ),
        ),
      );
      const finished = isFinished(run.state) && events.length < feedPageSize;
      for (const viewer of [...viewers]) {
        const summary = summaries.get(viewer.summaryKey);
        // A viewer that joined while this poll's summaries were read waits for the next one.
        if (summary === undefined || !viewers.has(viewer)) continue;
        viewer.receive({ kind: "update", run, events, summary, finished });
      }
    }
  };

  const finish = () => {
    if (idle.signal.aborted) return;
    idle.abort();
    params.onIdle();
  };
  return {
    get cursor() {
      return cursor;
    },
    join(viewer) {
      viewers.add(viewer);
      if (!started) {
        started = true;
        poll()
          .catch((error: unknown) => {
            if (!stop.aborted)
              params.log.warn({ err: error, runId: params.runId }, "run feed failed");
            for (const each of [...viewers]) each.receive({ kind: "gone" });
          })
          .finally(finish);
      }
      return () => {
        viewers.delete(viewer);
        if (viewers.size === 0) finish();
      };
    },
  };
}
