import type { IncomingMessage, ServerResponse } from "node:http";
import { listLatestRunsByRepository } from "../runs/list-latest-runs-by-repository.js";
import { createViewerAccessCache } from "./create-viewer-access-cache.js";
import { readViewer } from "./read-viewer.js";
import { renderHomePage } from "./render-home-page.js";
import { renderViewerBar } from "./render-viewer-bar.js";
import type { RunPagesDependencies } from "./run-pages-dependencies.js";
import { sendPage } from "./send-page.js";

/** Repositories on the home page: the most recently active ones. */
export const homeRepositories = 50;

/**
 * `GET /`: Ship's home page. The repositories with runs (the `homeRepositories` most
 * recently active), each with its newest run, shown only where the visitor may see the
 * run pages (the same cached access check, by repository id): an anonymous visitor sees
 * public repositories only, a signed-in one those they can read. A check GitHub cannot
 * answer hides the repository (fails closed).
 */
export function createHomeHandler(deps: RunPagesDependencies) {
  const readAccess = deps.readAccess ?? createViewerAccessCache();
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? "/", "http://ship.local");
    if (url.pathname !== "/" || req.method !== "GET") return false;
    const viewer = readViewer(req, res, deps.signer);
    const latest = await listLatestRunsByRepository(deps.pool, homeRepositories);
    const access = await Promise.all(
      latest.map((run) =>
        readAccess({
          github: deps.github,
          installationId: run.installationId,
          repository: run.repository,
          repositoryId: run.repositoryId,
          session: viewer.session,
          log: deps.log,
        }).catch(() => ({ kind: "hidden" }) as const),
      ),
    );
    const visible = latest.filter((_, index) => access[index]?.kind === "visible");
    return sendPage(
      res,
      200,
      "Ship",
      renderHomePage({
        runs: visible,
        signedIn: viewer.session !== undefined,
      }),
      { header: renderViewerBar(viewer, "/") },
    );
  };
}
