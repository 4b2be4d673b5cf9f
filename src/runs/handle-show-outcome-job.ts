import type pg from "pg";
import type { GitHubApp } from "../github/create-github-app.js";
import { setStateLabel } from "../github/set-state-label.js";
import { showRunStatus } from "../report/show-run-status.js";
import { killSandbox } from "../sandbox/kill-sandbox.js";
import type { SandboxSettings } from "../sandbox/sandbox-settings.js";
import type { JobHandler } from "../worker/job-handler.js";
import { getRun } from "./get-run.js";
import { updateRun } from "./update-run.js";

/**
 * The `show-outcome` job: a run that ended while its worker was going away (a deploy,
 * or a crash right after the run was marked ended) gets its sandbox killed, its final
 * status comment ("interrupted", with `/ship retry`, or its result) and state label
 * from whichever worker takes the job, now or after the restart.
 */
export function handleShowOutcomeJob(deps: {
  pool: pg.Pool;
  github: GitHubApp;
  sandbox: SandboxSettings;
  runLink?: (runId: number) => string;
}): JobHandler<"show-outcome"> {
  return async ({ runId }) => {
    const run = await getRun(deps.pool, runId);
    if (!run || run.state === "queued" || run.state === "running") return;
    if (run.sandboxId) {
      await killSandbox(deps.sandbox, run.sandboxId);
      await updateRun(deps.pool, runId, { sandboxId: null });
    }
    const [owner, repo] = run.repository.split("/") as [string, string];
    const octokit = await deps.github.installation(run.installationId);
    await showRunStatus({
      pool: deps.pool,
      octokit,
      run,
      appId: deps.github.appId,
      ...(deps.runLink ? { runUrl: deps.runLink(runId) } : {}),
    });
    const state = run.state === "succeeded" ? "done" : "failed";
    await setStateLabel({ octokit, owner, repo, issueNumber: run.threadNumber, state });
  };
}
