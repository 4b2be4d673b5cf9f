import type pg from "pg";
import type { Logger } from "pino";
import type { GitHubClient } from "../github/github-client.js";
import { ensureStatusComment } from "./ensure-status-comment.js";
import { renderStatusComment } from "./render-status-comment.js";
import type { StatusView } from "./status-view.js";

/** Keeps one run's status comment current without flooding GitHub. */
export interface StatusReporter {
  /** Shows `view` soon: at most one edit per interval, the latest view wins. */
  update(view: StatusView): void;
  /** Shows `view` now and waits for it (phase changes, the final state). */
  flush(view: StatusView): Promise<void>;
  /** Stops the elapsed-time ticks (the run is over, or this worker is leaving it). */
  close(): void;
}

/** How often a running run's comment is re-shown with its elapsed time, at least. */
const tickMs = 7_000;

/**
 * A reporter for one run. It never sends a body equal to the last one sent, edits at
 * most every `minIntervalMs`, and a failed edit is logged, not fatal: the next one
 * carries the newer state anyway. While the run is running, the last view is shown
 * again every few seconds with the time now, so "running for 12s" moves even while
 * the phase does not (until `close`, or a view of an ended run).
 */
export function createStatusReporter(params: {
  pool: pg.Pool;
  octokit: GitHubClient;
  runId: number;
  owner: string;
  repo: string;
  issueNumber: number;
  /** Ship's app id (see ensureStatusComment). */
  appId: number;
  minIntervalMs: number;
  log: Logger;
}): StatusReporter {
  let commentId: number | undefined;
  let lastSent: string | undefined;
  let lastSentAt = 0;
  let pending: StatusView | undefined;
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();
  let lastView: StatusView | undefined;
  let closed = false;
  const ticker = setInterval(
    () => {
      if (closed || lastView?.state !== "running" || pending) return;
      reporter.update({ ...lastView, now: new Date() });
    },
    Math.max(tickMs, params.minIntervalMs),
  );
  ticker.unref();
  const seen = (view: StatusView) => {
    lastView = view;
    if (view.state !== "queued" && view.state !== "running") reporter.close();
  };

  const send = (view: StatusView) => {
    chain = chain.then(async () => {
      const body = renderStatusComment(view);
      if (body === lastSent) return;
      try {
        let created = false;
        if (commentId === undefined) {
          ({ id: commentId, created } = await ensureStatusComment({ ...params, body }));
        }
        if (!created) {
          await params.octokit.rest.issues.updateComment({
            owner: params.owner,
            repo: params.repo,
            comment_id: commentId,
            body,
          });
        }
        lastSent = body;
        lastSentAt = Date.now();
      } catch (error) {
        params.log.warn({ err: error, runId: params.runId }, "could not update the status comment");
      }
    });
    return chain;
  };

  const reporter: StatusReporter = {
    update(view) {
      if (closed && view.state === "running") return;
      seen(view);
      pending = view;
      if (timer) return;
      const wait = Math.max(0, lastSentAt + params.minIntervalMs - Date.now());
      timer = setTimeout(() => {
        timer = undefined;
        const latest = pending;
        pending = undefined;
        if (latest) void send(latest);
      }, wait);
      timer.unref();
    },
    async flush(view) {
      seen(view);
      if (timer) clearTimeout(timer);
      timer = undefined;
      pending = undefined;
      await send(view);
    },
    close() {
      closed = true;
      clearInterval(ticker);
    },
  };
  return reporter;
}
