import type { Sandbox } from "e2b";
import { runCommand } from "../sandbox/run-command.js";

/** Creates and checks out `branch` at the clone's commit, inside the sandbox. */
export async function startBranchInSandbox(
  sandbox: Sandbox,
  dir: string,
  branch: string,
): Promise<void> {
  await runCommand(sandbox, ["git", "-C", dir, "checkout", "-q", "-b", branch], {
    category: "branch",
    doing: `create the branch ${branch}`,
  });
}
