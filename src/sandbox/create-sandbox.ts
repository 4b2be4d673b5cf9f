import { Sandbox } from "e2b";
import { type SandboxSettings, sandboxConnection } from "./sandbox-settings.js";

/**
 * Creates a sandbox for a run from Ship's template, tagged with the run (so a sweeper
 * can find leftovers) and with a timeout as a backstop: E2B kills it even if Ship
 * never gets to. No environment variables: nothing of Ship's enters it this way.
 */
export async function createSandbox(
  settings: SandboxSettings,
  params: { runId: number; repository: string; timeoutMs: number },
): Promise<Sandbox> {
  return Sandbox.create(settings.template, {
    ...sandboxConnection(settings),
    metadata: { shipRunId: String(params.runId), repository: params.repository },
    timeoutMs: params.timeoutMs,
  });
}
