import type { IncomingMessage, ServerResponse } from "node:http";
import type pg from "pg";
import type { PgBoss } from "pg-boss";
import type { Logger } from "pino";
import { inTransaction } from "../db/in-transaction.js";
import type { GitHubApp } from "../github/create-github-app.js";
import { cancelRun } from "../runs/cancel-run.js";
import { getRun } from "../runs/get-run.js";
import { lockThread } from "../runs/lock-thread.js";
import type { SessionSigner } from "./create-session-signer.js";
import { readForm } from "./read-form.js";
import { readSession } from "./read-session.js";
import { refuseUnlessWriter } from "./refuse-unless-writer.js";
import { sendPage } from "./send-page.js";

const path = /^\/runs\/(\d+)\/cancel$/;

/**
 * `POST /runs/<id>/cancel`, the run page's Cancel button: with the page's CSRF token
 * (bound to the signed-in person and the run) and write access checked again, the run
 * ends as cancelled exactly as with `/ship cancel`; then back to the run's page.
 */
export function createCancelHandler(deps: {
  pool: pg.Pool;
  boss: PgBoss;
  github: GitHubApp;
  signer: SessionSigner;
  log: Logger;
}) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? "/", "http://ship.local");
    const match = path.exec(url.pathname);
    if (!match || req.method !== "POST") return false;
    const runId = Number(match[1]);
    const form = await readForm(req);
    const session = readSession(req, deps.signer);
    if (
      !session ||
      deps.signer.verify(form.get("csrf") ?? "") !== `cancel:${session.userId}:${runId}`
    ) {
      return sendPage(
        res,
        403,
        "Please confirm again",
        `<p>The request did not come from Ship's page for you. <a href="/runs/${runId}">Open the run's page</a> again.</p>`,
      );
    }
    const run = await getRun(deps.pool, runId);
    if (!run) return sendPage(res, 404, "Not found", "<p>There is no such run.</p>");
    const refused = await refuseUnlessWriter({
      res,
      github: deps.github,
      run,
      session,
      action: "cancel",
      log: deps.log,
    });
    if (refused) return true;
    const cancelled = await inTransaction(deps.pool, async (tx) => {
      await lockThread(tx, run.repositoryId, run.threadNumber);
      return cancelRun(deps.boss, tx, runId, session.login);
    });
    if (cancelled) deps.log.info({ runId, by: session.login }, "run cancelled from its page");
    res.writeHead(303, { location: `/runs/${runId}`, "cache-control": "no-store" });
    res.end();
    return true;
  };
}
