import { Sandbox } from "e2b";
import { type SandboxSettings, sandboxConnection } from "./sandbox-settings.js";

/** Kills a sandbox by id; a sandbox that is already gone is fine. */
export async function killSandbox(settings: SandboxSettings, sandboxId: string): Promise<void> {
  await Sandbox.kill(sandboxId, sandboxConnection(settings));
}
