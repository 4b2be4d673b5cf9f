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
}

/**
 * A reporter for one run. It never sends a body equal to the last one sent, edits at
 * most every `minIntervalMs`, and a failed edit is logged, not fatal: the next one
 * carries the newer state anyway.
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

  return {
    update(view) {
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
      if (timer) clearTimeout(timer);
      timer = undefined;
      pending = undefined;
      await send(view);
    },
  };
}
