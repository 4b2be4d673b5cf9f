import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type pg from "pg";
import type { PgBoss } from "pg-boss";
import type { Logger } from "pino";
import { inTransaction } from "../db/in-transaction.js";
import { recordDelivery } from "../deliveries/record-delivery.js";
import type { GitHubApp } from "../github/create-github-app.js";
import { failureCategory } from "../runs/failure-category.js";
import { findLatestRun } from "../runs/find-latest-run.js";
import { findRetryOf } from "../runs/find-retry-of.js";
import { getRun } from "../runs/get-run.js";
import { lockThread } from "../runs/lock-thread.js";
import { retryRun } from "../runs/retry-run.js";
import type { Run } from "../runs/run.js";
import { findRunBranchRefusal } from "../triggers/find-run-branch-refusal.js";
import { branchRefusalSentence } from "../triggers/render-branch-refusal.js";
import type { SessionSigner } from "./create-session-signer.js";
import { escapeHtml } from "./escape-html.js";
import { readForm } from "./read-form.js";
import { readSession } from "./read-session.js";
import { refuseUnlessWriter } from "./refuse-unless-writer.js";
import { sendPage as send } from "./send-page.js";
import { signInUrl } from "./sign-in-url.js";

const path = /^\/runs\/(\d+)\/retry$/;

/**
 * `/runs/<id>/retry` (the link in a failed run's status comment): GET asks the visitor
 * to sign in with GitHub, checks they have write access to the repository, and shows a
 * confirm button; POST (with a CSRF token bound to the signed-in person and the run)
 * checks again and queues the retry. The link itself is signed and expires. A run that
 * was retried already, is no longer the thread's latest, or failed in a way a retry
 * would repeat gets a page saying so (and where the thread is now), with no button.
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
        location: signInUrl("", `${url.pathname}?token=${token}`),
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
    const noRetry = await whyNoRetry(deps.pool, run);
    if (noRetry) return send(res, 409, noRetry.title, noRetry.body);
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
    const repeated = wouldFailAgain(run);
    if (repeated) return send(res, 409, repeated.title, repeated.body);
    const csrf = deps.signer.sign(`csrf:${session.userId}:${runId}`, 3_600_000);
    if (req.method === "GET") {
      const body = `<p>Run ${runId} on ${escapeHtml(run.repository)}#${run.threadNumber} ${outcomeOf(run)}.</p>
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
      // Retried meanwhile (a double click, a comment): say by which run.
      const now = await whyNoRetry(deps.pool, run);
      if (now) return send(res, 409, now.title, now.body);
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

/**
 * Why the retry link offers no retry of `run`, as a page's title and body, or undefined
 * when it may: the run was retried already (by which run, and how that went), a later
 * run took the thread on, or it did not end badly.
 */
async function whyNoRetry(
  pool: pg.Pool,
  run: Run,
): Promise<{ title: string; body: string } | undefined> {
  const retry = await findRetryOf(pool, run.id);
  if (retry) {
    return {
      title: "Already retried",
      body: `<p>Run ${run.id} was already retried as <a href="/runs/${retry.id}">run ${retry.id}</a>, which ${outcomeOf(retry)}.</p>`,
    };
  }
  const latest = await findLatestRun(pool, run.repositoryId, run.threadNumber);
  if (latest && latest.id !== run.id) {
    return {
      title: "A later run took over",
      body: `<p>Run ${run.id} is not the latest on ${escapeHtml(run.repository)}#${run.threadNumber}: <a href="/runs/${latest.id}">run ${latest.id}</a> came after it and ${outcomeOf(latest)}. Comment <code>/ship retry</code> on the thread to retry the latest run if it failed.</p>`,
    };
  }
  if (run.state !== "failed" && run.state !== "cancelled") {
    return {
      title: "Nothing to retry",
      body: `<p>Run ${run.id} ${outcomeOf(run)}: only a failed or cancelled run is retried.</p>`,
    };
  }
  return undefined;
}

/** The page for a failure that a retry of the same request would only repeat, if so. */
function wouldFailAgain(run: Run): { title: string; body: string } | undefined {
  if (run.state !== "failed" || !run.errorCategory) return undefined;
  const category = failureCategory(run.errorCategory);
  if (category.retryable) return undefined;
  return {
    title: "A retry would fail the same way",
    body: `<p>Run ${run.id} failed: ${escapeHtml(category.title)}. Retrying the same request would fail the same way. ${escapeHtml(category.whatToDo)}</p>
<p>Comment <code>/ship retry --model provider/model</code> on the thread to retry with another model, or <code>/ship &lt;task&gt;</code> with what should change.</p>`,
  };
}

/** What became of a run, as the end of a sentence: "succeeded (PR #12)", "is running". */
function outcomeOf(run: Run): string {
  const pull = run.prNumber ? ` (PR #${run.prNumber})` : "";
  switch (run.state) {
    case "succeeded":
      return `succeeded${pull}`;
    case "failed":
      return `failed${run.errorCategory ? ` (${escapeHtml(lowerFirst(failureCategory(run.errorCategory).title))})` : ""}`;
    case "cancelled":
      return "was cancelled";
    default:
      return `is ${run.state}`;
  }
}

/** "The model provider is unavailable" inside a sentence. */
function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
