import type pg from "pg";
import type { Logger } from "pino";
import type { GitHubApp } from "../github/create-github-app.js";
import { showRunStatus } from "../report/show-run-status.js";
import { killSandbox } from "../sandbox/kill-sandbox.js";
import type { SandboxSettings } from "../sandbox/sandbox-settings.js";
import type { JobHandler } from "../worker/job-handler.js";
import { appendRunEvent } from "./append-run-event.js";
import { getRun } from "./get-run.js";

/**
 * The `cancel` job, right after `/ship cancel` marked the run cancelled: kills its
 * sandbox at once (the worker running it notices within seconds and pushes nothing
 * more) and shows the run as cancelled in its status comment.
 */
export function handleCancelJob(deps: {
  pool: pg.Pool;
  github: GitHubApp;
  sandbox: SandboxSettings;
  runLink?: (runId: number) => string;
  /** The signed link that retries a run, for its status comment. */
  retryLink?: (runId: number) => string;
  log: Logger;
}): JobHandler<"cancel"> {
  return async ({ runId }) => {
    const run = await getRun(deps.pool, runId);
    if (run?.state !== "cancelled") return;
    if (run.sandboxId) {
      await killSandbox(deps.sandbox, run.sandboxId).catch((error) =>
        deps.log.warn({ err: error, runId }, "could not kill a cancelled run's sandbox"),
      );
    }
    await appendRunEvent(deps.pool, runId, "run.cancelled");
    const octokit = await deps.github.installation(run.installationId);
    await showRunStatus({
      pool: deps.pool,
      octokit,
      run,
      appId: deps.github.appId,
      ...(deps.runLink ? { runUrl: deps.runLink(runId) } : {}),
      ...(deps.retryLink ? { retryUrl: deps.retryLink(runId) } : {}),
    });
  };
}
