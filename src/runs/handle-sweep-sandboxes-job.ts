import type { Logger } from "pino";
import type { Queryable } from "../db/queryable.js";
import { killSandbox } from "../sandbox/kill-sandbox.js";
import { listRunSandboxes } from "../sandbox/list-run-sandboxes.js";
import type { SandboxSettings } from "../sandbox/sandbox-settings.js";
import type { JobHandler } from "../worker/job-handler.js";
import { findLeftoverSandboxes } from "./sweep-sandboxes.js";

/**
 * The `sweep-sandboxes` job, every minute: kills this deployment's sandboxes that no
 * run will use again (see `findLeftoverSandboxes`): left behind by a worker that died,
 * or by a kill that failed. E2B's own timeout is the last backstop.
 */
export function handleSweepSandboxesJob(deps: {
  db: Queryable;
  sandbox: SandboxSettings;
  appId: number;
  /** The clock: sandboxes are judged by their age. */
  now?: () => Date;
  log: Logger;
}): JobHandler<"sweep-sandboxes"> {
  return async () => {
    const sandboxes = await listRunSandboxes(deps.sandbox, deps.appId);
    const leftovers = await findLeftoverSandboxes(deps.db, sandboxes, deps.now?.());
    for (const sandbox of leftovers) {
      await killSandbox(deps.sandbox, sandbox.sandboxId).catch((error) =>
        deps.log.warn({ err: error, sandboxId: sandbox.sandboxId }, "could not sweep a sandbox"),
      );
    }
    if (leftovers.length > 0) {
      deps.log.info(
        { swept: leftovers.map((sandbox) => ({ id: sandbox.sandboxId, runId: sandbox.runId })) },
        "killed leftover sandboxes",
      );
    }
  };
}
