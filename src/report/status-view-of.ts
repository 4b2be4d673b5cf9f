import type { Run } from "../runs/run.js";
import type { StatusView } from "./status-view.js";

/** The status view of a run as stored; the live pipeline adds what it is doing now. */
export function statusViewOf(run: Run, live: Partial<StatusView> = {}): StatusView {
  return {
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
    ...(run.request.pullRequest?.open && run.request.pullRequest.sameRepository
      ? { followUp: true }
      : {}),
    now: new Date(),
    ...live,
  };
}
