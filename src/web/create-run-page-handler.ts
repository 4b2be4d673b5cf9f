import type { IncomingMessage, ServerResponse } from "node:http";
import { getRun } from "../runs/get-run.js";
import { listRunEvents } from "../runs/list-run-events.js";
import { isFinished } from "../runs/run.js";
import { answerHidden } from "./answer-hidden.js";
import { buildRunSummary, signActionTokens } from "./build-run-summary.js";
import { createRunDiffReader } from "./create-run-diff-reader.js";
import { createViewerAccessCache } from "./create-viewer-access-cache.js";
import { readSession } from "./read-session.js";
import { readViewer } from "./read-viewer.js";
import { renderRunPage } from "./render-run-page.js";
import { renderViewerBar } from "./render-viewer-bar.js";
import type { RunPagesDependencies } from "./run-pages-dependencies.js";
import { sendPage } from "./send-page.js";

const path = /^\/runs\/(\d+)$/;
/** Events per page of a run's log. */
export const eventsPerPage = 200;

/**
 * `GET /runs/<id>`: the run's page (see `renderRunPage`). `?before=<event id>` pages back
 * through a long log. Private repositories: readers only, others are sent to sign in.
 */
export function createRunPageHandler(deps: RunPagesDependencies) {
  const readAccess = deps.readAccess ?? createViewerAccessCache();
  const readDiff = deps.readDiff ?? createRunDiffReader({ github: deps.github, log: deps.log });
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? "/", "http://ship.local");
    const match = path.exec(url.pathname);
    if (!match || req.method !== "GET") return false;
    const run = await getRun(deps.pool, Number(match[1]));
    if (!run) return answerHidden(res, { kind: "missing" }, url.pathname);
    const access = await readAccess({
      github: deps.github,
      installationId: run.installationId,
      repository: run.repository,
      repositoryId: run.repositoryId,
      session: readSession(req, deps.signer),
      log: deps.log,
    });
    if (access.kind !== "visible") return answerHidden(res, access, url.pathname);

    const before = Number(url.searchParams.get("before")) || undefined;
    const events = await listRunEvents(deps.pool, run.id, {
      limit: eventsPerPage,
      ...(before ? { before } : {}),
    });
    const first = events[0]?.id;
    const page = renderRunPage({
      run,
      summary: await buildRunSummary({
        pool: deps.pool,
        run,
        viewer: access,
        tokens: signActionTokens(deps.signer, access, run.id),
        githubUrl: deps.githubUrl,
        readDiff,
        ...(deps.prices ? { prices: deps.prices } : {}),
      }),
      events,
      ...(events.length === eventsPerPage && first
        ? { earlierUrl: `${url.pathname}?before=${first}` }
        : {}),
      ...(before ? { latestUrl: url.pathname } : {}),
      githubUrl: deps.githubUrl,
      live: !before && !isFinished(run.state),
    });
    return sendPage(res, 200, page.title, page.body, {
      ...(page.script ? { script: page.script } : {}),
      header: renderViewerBar(readViewer(req, res, deps.signer), `${url.pathname}${url.search}`),
    });
  };
}
