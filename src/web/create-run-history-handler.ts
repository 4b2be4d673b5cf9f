import type { IncomingMessage, ServerResponse } from "node:http";
import { findRepositoryIdByName } from "../runs/find-repository-id-by-name.js";
import { listRunRequesters } from "../runs/list-run-requesters.js";
import { listRuns } from "../runs/list-runs.js";
import { listRunsMatching, type RunFilters } from "../runs/list-runs-matching.js";
import type { RunState } from "../runs/run.js";
import { answerHidden } from "./answer-hidden.js";
import { createViewerAccessCache } from "./create-viewer-access-cache.js";
import { escapeHtml } from "./escape-html.js";
import { pageScript } from "./page-script.js";
import { readSession } from "./read-session.js";
import { readViewer } from "./read-viewer.js";
import { historyStates, renderRunHistory } from "./render-run-history.js";
import { renderViewerBar } from "./render-viewer-bar.js";
import type { RunPagesDependencies } from "./run-pages-dependencies.js";
import { sendPage } from "./send-page.js";
import { triggerWords } from "./trigger-words.js";

/** Runs per page of a repository's history. */
export const runsPerPage = 25;
const repositoryPattern = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
/** A GitHub login: letters, digits and single hyphens, at most 39 characters. */
const loginPattern = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;

/**
 * `GET /runs?repo=owner/name`: the repository's runs, newest first (narrowed by
 * `&state=`, `&by=<login>` and `&trigger=`, each checked; empty means any), `runsPerPage` at a
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
        `<p>Pick one on <a href="/">Ship's home page</a>, which lists the repositories you can see, or open <code>/runs?repo=owner/name</code>.</p>`,
        { header: renderViewerBar(readViewer(req, res, deps.signer), returnTo) },
      );
    }
    const session = readSession(req, deps.signer);
    // The repository the name stands for (its newest run's), then its runs by id: runs of
    // a renamed repository stay with it, not with whichever repository has the name now.
    const found = await findRepositoryIdByName(deps.pool, repository);
    // No run at all: say nothing about whether the repository exists.
    if (!found)
      return answerHidden(res, session ? { kind: "missing" } : { kind: "sign_in" }, returnTo);
    const filters = readFilters(url.searchParams);
    if (typeof filters === "string") {
      return sendPage(res, 400, "Which runs?", `<p>${escapeHtml(filters)}</p>`);
    }
    const before = Number(url.searchParams.get("before")) || undefined;
    const runs = await listRunsMatching(deps.pool, found.repositoryId, filters, {
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
    const older = new URLSearchParams(url.searchParams);
    if (last) older.set("before", String(last.id));
    return sendPage(
      res,
      200,
      `Runs of ${newest.repository}`,
      renderRunHistory({
        repository: newest.repository,
        runs: shown,
        filters,
        requesters: await listRunRequesters(deps.pool, found.repositoryId),
        ...(runs.length > runsPerPage && last ? { olderUrl: `/runs?${older}` } : {}),
        githubUrl: deps.githubUrl,
      }),
      {
        header: renderViewerBar(readViewer(req, res, deps.signer), returnTo),
        // Local time beside each run's UTC time.
        script: pageScript,
      },
    );
  };
}

/** The history's filters from the query, or what is wrong with them in words. */
function readFilters(query: URLSearchParams): RunFilters | string {
  const filters: RunFilters = {};
  const state = query.get("state") ?? "";
  if (state) {
    if (!historyStates.includes(state as RunState)) {
      return `There is no run state "${state}"; choose one of ${historyStates.join(", ")}.`;
    }
    filters.state = state as RunState;
  }
  const by = (query.get("by") ?? "").replace(/^@/, "");
  if (by) {
    if (!loginPattern.test(by)) return `"${by}" is not a GitHub login.`;
    filters.requester = by;
  }
  const trigger = query.get("trigger") ?? "";
  if (trigger) {
    if (!Object.hasOwn(triggerWords, trigger)) {
      return `There is no trigger "${trigger}"; choose one of ${Object.keys(triggerWords).join(", ")}.`;
    }
    filters.trigger = trigger;
  }
  return filters;
}
