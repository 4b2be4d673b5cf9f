import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type pg from "pg";
import type { PgBoss } from "pg-boss";
import type { Logger } from "pino";
import { inTransaction } from "../db/in-transaction.js";
import { recordDelivery } from "../deliveries/record-delivery.js";
import type { GitHubApp } from "../github/create-github-app.js";
import { findLatestRun } from "../runs/find-latest-run.js";
import { getRun } from "../runs/get-run.js";
import { lockThread } from "../runs/lock-thread.js";
import { retryRun } from "../runs/retry-run.js";
import { findRunBranchRefusal } from "../triggers/find-run-branch-refusal.js";
import { branchRefusalSentence } from "../triggers/render-branch-refusal.js";
import type { SessionSigner } from "./create-session-signer.js";
import { escapeHtml } from "./escape-html.js";
import { readForm } from "./read-form.js";
import { readSession } from "./read-session.js";
import { refuseUnlessWriter } from "./refuse-unless-writer.js";
import { sendPage as send } from "./send-page.js";

const path = /^\/runs\/(\d+)\/retry$/;

/**
 * `/runs/<id>/retry` (the link in a failed run's status comment): GET asks the visitor
 * to sign in with GitHub, checks they have write access to the repository, and shows a
 * confirm button; POST (with a CSRF token bound to the signed-in person and the run)
 * checks again and queues the retry. The link itself is signed and expires.
 */
export function createRetryHandler(deps: {
  pool: pg.Pool;
  boss: PgBoss;
  github: GitHubApp;
  signer: SessionSigner;
  log: Logger;
}) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? "/", "http://ship.local");
    const match = path.exec(url.pathname);
    if (!match || (req.method !== "GET" && req.method !== "POST")) return false;
    const runId = Number(match[1]);
    const form = req.method === "POST" ? await readForm(req) : url.searchParams;
    const token = form.get("token") ?? "";
    if (deps.signer.verify(token) !== `retry:${runId}`) {
      return send(
        res,
        410,
        "This retry link has expired",
        "<p>Comment <code>/ship retry</code> on the issue instead.</p>",
      );
    }
    const session = readSession(req, deps.signer);
    if (!session) {
      res.writeHead(302, {
        location: `/auth/login?return_to=${encodeURIComponent(`${url.pathname}?token=${token}`)}`,
      });
      res.end();
      return true;
    }
    const run = await getRun(deps.pool, runId);
    if (!run) return send(res, 404, "No such run", "");
    const refused = await refuseUnlessWriter({
      res,
      github: deps.github,
      run,
      session,
      action: "retry",
      log: deps.log,
    });
    if (refused) return true;
    // Where the retry would push, checked again as for a new request (a ruleset or
    // protection may have come since the first run): the same refusal as a comment's.
    const branchRefusal = await findRunBranchRefusal(
      await deps.github.installation(run.installationId),
      run,
    );
    if (branchRefusal) {
      return send(
        res,
        409,
        "Ship did not start",
        `<p>${escapeHtml(branchRefusalSentence(branchRefusal))}</p>`,
      );
    }
    const csrf = deps.signer.sign(`csrf:${session.userId}:${runId}`, 3_600_000);
    if (req.method === "GET") {
      const body = `<p>Run ${runId} on ${escapeHtml(run.repository)}#${run.threadNumber} ended with <strong>${escapeHtml(run.state)}</strong>${run.errorCategory ? ` (${escapeHtml(run.errorCategory)})` : ""}.</p>
<p>Task: ${escapeHtml(run.request.task)}</p>
<form method="post"><input type="hidden" name="token" value="${escapeHtml(token)}"><input type="hidden" name="csrf" value="${escapeHtml(csrf)}"><button type="submit">Retry as @${escapeHtml(session.login)}</button></form>`;
      return send(res, 200, "Retry this run?", body);
    }
    if (deps.signer.verify(form.get("csrf") ?? "") !== `csrf:${session.userId}:${runId}`) {
      return send(
        res,
        403,
        "Please confirm again",
        "<p>The confirmation was not made from Ship's page. Open the retry link again.</p>",
      );
    }
    const queued = await inTransaction(deps.pool, async (tx) => {
      // Only the thread's newest run, and only once it ended badly: no double retries.
      await lockThread(tx, run.repositoryId, run.threadNumber);
      const latest = await findLatestRun(tx, run.repositoryId, run.threadNumber);
      if (latest?.id !== runId || (latest.state !== "failed" && latest.state !== "cancelled")) {
        return undefined;
      }
      const deliveryId = `web-retry-${randomUUID()}`;
      await recordDelivery(tx, {
        id: deliveryId,
        event: "web.retry",
        installationId: run.installationId,
        repository: run.repository,
        outcome: "run",
      });
      return retryRun(deps.boss, tx, run, { login: session.login, id: session.userId }, deliveryId);
    });
    if (queued === undefined) {
      return send(
        res,
        409,
        "Nothing to retry",
        "<p>This run was already retried, or is not the thread's latest.</p>",
      );
    }
    deps.log.info({ runId, retry: queued, by: session.login }, "run retried from its link");
    // On to the new run's page, which follows it live.
    res.writeHead(303, { location: `/runs/${queued}`, "cache-control": "no-store" });
    res.end();
    return true;
  };
}
