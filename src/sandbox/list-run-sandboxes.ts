import { Sandbox } from "e2b";
import { type SandboxSettings, sandboxConnection } from "./sandbox-settings.js";

/** A sandbox Ship started for a run, as E2B lists it. */
export interface RunSandbox {
  sandboxId: string;
  /** The run it was started for; undefined when its tag is not a number. */
  runId: number | undefined;
  startedAt: Date;
}

/** Every sandbox this deployment (GitHub App `appId`) started, whatever its run's state. */
export async function listRunSandboxes(
  settings: SandboxSettings,
  appId: number,
): Promise<RunSandbox[]> {
  const pages = Sandbox.list({
    ...sandboxConnection(settings),
    query: { metadata: { shipApp: String(appId) } },
  });
  const found: RunSandbox[] = [];
  while (pages.hasNext) {
    for (const info of await pages.nextItems()) {
      const runId = Number(info.metadata.shipRunId);
      found.push({
        sandboxId: info.sandboxId,
        runId: Number.isInteger(runId) && runId > 0 ? runId : undefined,
        startedAt: info.startedAt,
      });
    }
  }
  return found;
}
