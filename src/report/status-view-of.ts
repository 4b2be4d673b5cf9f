import type { Run } from "../runs/run.js";
import { signInUrl } from "../web/sign-in-url.js";
import type { StatusView } from "./status-view.js";

/**
 * The status view of a run as stored; the live pipeline adds what it is doing now.
 * Links to Ship's other pages (the retried run, sign-in) are built from `live.runUrl`,
 * which is `SHIP_PUBLIC_URL/runs/<id>` (see `runLink`): without it there are none.
 */
export function statusViewOf(run: Run, live: Partial<StatusView> = {}): StatusView {
  const pull = run.request.pullRequest;
  const line = run.request.reviewLine;
  const view: StatusView = {
    runId: run.id,
    state: run.state,
    phase: run.phase,
    task: run.request.task,
    requester: run.requesterLogin,
    model: run.model ?? "default",
    ...(run.actingLogin ? { actingAs: run.actingLogin } : {}),
    ...(run.branch ? { branch: run.branch } : {}),
    ...(run.startedAt ? { startedAt: run.startedAt } : {}),
    ...(run.finishedAt ? { finishedAt: run.finishedAt } : {}),
    ...(run.result ? { result: run.result } : {}),
    ...(run.errorCategory
      ? { error: { category: run.errorCategory, message: run.errorMessage ?? "The run failed." } }
      : {}),
    ...(pull?.open && pull.sameRepository
      ? { followUp: { number: pull.number, branch: pull.headRef } }
      : {}),
    ...(line && pull
      ? {
          reviewLine: {
            path: line.path,
            line: line.line,
            // GitHub's address of a review comment's thread (its `html_url`).
            url: `${pull.url}#discussion_r${line.commentId}`,
          },
        }
      : {}),
    ...(run.state === "cancelled" ? cancelledBy(run.errorMessage) : {}),
    ...(run.request.settings?.notices?.length ? { notices: run.request.settings.notices } : {}),
    now: new Date(),
    ...live,
  };
  const shipUrl = view.runUrl?.endsWith(`/runs/${run.id}`)
    ? view.runUrl.slice(0, -`/runs/${run.id}`.length)
    : undefined;
  if (run.retryOf !== null && !view.retryOf) {
    view.retryOf = {
      runId: run.retryOf,
      ...(shipUrl !== undefined ? { url: `${shipUrl}/runs/${run.retryOf}` } : {}),
    };
  }
  if (shipUrl !== undefined && !view.signInUrl) view.signInUrl = signInUrl(shipUrl);
  return view;
}

/** `cancelRun` records "Cancelled by @login." as the run's message. */
function cancelledBy(message: string | null): Partial<StatusView> {
  const login = /^Cancelled by @([A-Za-z0-9-]+(?:\[bot\])?)\.$/.exec(message ?? "")?.[1];
  return login ? { cancelledBy: login } : {};
}
