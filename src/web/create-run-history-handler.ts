import type { IncomingMessage, ServerResponse } from "node:http";
import { findRepositoryIdByName } from "../runs/find-repository-id-by-name.js";
import { listRuns } from "../runs/list-runs.js";
import { answerHidden } from "./answer-hidden.js";
import { createViewerAccessCache } from "./create-viewer-access-cache.js";
import { readSession } from "./read-session.js";
import { renderRunHistory } from "./render-run-history.js";
import type { RunPagesDependencies } from "./run-pages-dependencies.js";
import { sendPage } from "./send-page.js";

/** Runs per page of a repository's history. */
export const runsPerPage = 25;
const repositoryPattern = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/**
 * `GET /runs?repo=owner/name`: the repository's runs, newest first, `runsPerPage` at a
 * time (`&before=<run id>` for older ones). The same access rules as a run's page: a
 * private repository's history only for its readers, judged by repository id.
 */
export function createRunHistoryHandler(deps: RunPagesDependencies) {
  const readAccess = deps.readAccess ?? createViewerAccessCache();
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? "/", "http://ship.local");
    if (url.pathname !== "/runs" || req.method !== "GET") return false;
    const repository = url.searchParams.get("repo") ?? "";
    const returnTo = `${url.pathname}${url.search}`;
    if (!repositoryPattern.test(repository)) {
      return sendPage(
        res,
        400,
        "Which repository?",
        "<p>Open <code>/runs?repo=owner/name</code> for a repository's runs.</p>",
      );
    }
    const session = readSession(req, deps.signer);
    // The repository the name stands for (its newest run's), then its runs by id: runs of
    // a renamed repository stay with it, not with whichever repository has the name now.
    const found = await findRepositoryIdByName(deps.pool, repository);
    // No run at all: say nothing about whether the repository exists.
    if (!found)
      return answerHidden(res, session ? { kind: "missing" } : { kind: "sign_in" }, returnTo);
    const before = Number(url.searchParams.get("before")) || undefined;
    const runs = await listRuns(deps.pool, found.repositoryId, {
      limit: runsPerPage + 1,
      ...(before ? { before } : {}),
    });
    const newest = runs[0] ?? (await listRuns(deps.pool, found.repositoryId, { limit: 1 }))[0];
    if (!newest)
      return answerHidden(res, session ? { kind: "missing" } : { kind: "sign_in" }, returnTo);
    const access = await readAccess({
      github: deps.github,
      installationId: newest.installationId,
      repository: newest.repository,
      repositoryId: newest.repositoryId,
      session,
      log: deps.log,
    });
    if (access.kind !== "visible") return answerHidden(res, access, returnTo);
    const shown = runs.slice(0, runsPerPage);
    const last = shown.at(-1);
    return sendPage(
      res,
      200,
      `Runs of ${newest.repository}`,
      renderRunHistory({
        repository: newest.repository,
        runs: shown,
        ...(runs.length > runsPerPage && last
          ? { olderUrl: `/runs?repo=${encodeURIComponent(repository)}&before=${last.id}` }
          : {}),
        githubUrl: deps.githubUrl,
      }),
    );
  };
}
