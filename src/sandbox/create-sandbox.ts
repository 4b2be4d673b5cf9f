import { Sandbox } from "e2b";
import { type SandboxSettings, sandboxConnection } from "./sandbox-settings.js";

/**
 * Tags of a run's sandbox: the GitHub App's id (one Ship deployment per app; the
 * sweeper lists by it, so deployments sharing an E2B account leave each other alone),
 * the run and its repository.
 */
export function runSandboxMetadata(
  appId: number,
  runId: number,
  repository: string,
): Record<string, string> {
  return { shipApp: String(appId), shipRunId: String(runId), repository };
}

/**
 * Creates a sandbox for a run from Ship's template, tagged with the run (so a sweeper
 * can find leftovers) and with a timeout as a backstop: E2B kills it even if Ship
 * never gets to. No environment variables: nothing of Ship's enters it this way.
 */
export async function createSandbox(
  settings: SandboxSettings,
  params: { appId: number; runId: number; repository: string; timeoutMs: number },
): Promise<Sandbox> {
  return Sandbox.create(settings.template, {
    ...sandboxConnection(settings),
    metadata: runSandboxMetadata(params.appId, params.runId, params.repository),
    timeoutMs: params.timeoutMs,
  });
}
