import type { Sandbox } from "e2b";
import { PushError } from "./push-error.js";
import { runInSandbox } from "./run-in-sandbox.js";
import { shellCommand } from "./shell-command.js";

/**
 * Each blob's size from `git cat-file --batch-check`, parsed and checked here: one line
 * per id asked, in order, naming that id as a blob. Anything else (a missing line, a tree,
 * a changed id) is refused rather than trusted.
 */
export async function readBlobSizes(params: {
  sandbox: Pick<Sandbox, "commands">;
  repoDir: string;
  shas: readonly string[];
  signal: AbortSignal | undefined;
}): Promise<Map<string, number>> {
  const { shas } = params;
  const output = await runInSandbox({
    sandbox: params.sandbox,
    cwd: params.repoDir,
    script: `${shellCommand(["printf", "%s\\n", ...shas])} | ${shellCommand([
      "git",
      "cat-file",
      "--batch-check=%(objectname) %(objecttype) %(objectsize)",
    ])}`,
    doing: `check the size of ${shas.length} changed file(s)`,
    ...(params.signal ? { signal: params.signal } : {}),
  });
  const lines = output.split("\n").filter(Boolean);
  const sizes = new Map<string, number>();
  shas.forEach((sha, index) => {
    const match = /^([0-9a-f]{40}) blob (\d{1,15})$/.exec(lines[index] ?? "");
    if (!match || match[1] !== sha) {
      throw new PushError({
        kind: "corrupt",
        message: `git in the sandbox did not describe blob ${sha.slice(0, 7)} as a blob (${JSON.stringify((lines[index] ?? "").slice(0, 80))}); Ship did not push it.`,
      });
    }
    sizes.set(sha, Number(match[2]));
  });
  return sizes;
}
