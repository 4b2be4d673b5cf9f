import { Sandbox } from "e2b";
import { type SandboxSettings, sandboxConnection } from "./sandbox-settings.js";

/** Reconnects to a run's sandbox after a restart; throws if it is gone. */
export function connectSandbox(settings: SandboxSettings, sandboxId: string): Promise<Sandbox> {
  return Sandbox.connect(sandboxId, sandboxConnection(settings));
}
