import type { Sandbox } from "e2b";
import { PushError } from "./push-error.js";
import { runInSandbox } from "./run-in-sandbox.js";
import { shellCommand } from "./shell-command.js";

/**
 * The commits between `remoteBase` and HEAD in the sandbox's clone, oldest first, each
 * with its one parent, plus the tree of `remoteBase` (the base of the first remote
 * tree; the same id on GitHub, as trees are content-addressed). Refuses merge commits
 * and any history that does not grow in a line from `remoteBase`.
 */
export async function listSandboxCommits(params: {
  sandbox: Pick<Sandbox, "commands">;
  repoDir: string;
  remoteBase: string;
  signal?: AbortSignal;
}): Promise<{ baseTree: string; commits: Array<{ sha: string; parent: string }> }> {
  const { remoteBase } = params;
  const script = [
    shellCommand(["git", "rev-parse", "--verify", `${remoteBase}^{tree}`]),
    shellCommand([
      "git",
      "rev-list",
      "--reverse",
      "--topo-order",
      "--parents",
      `${remoteBase}..HEAD`,
    ]),
  ].join(" && ");
  const output = await runInSandbox({
    sandbox: params.sandbox,
    cwd: params.repoDir,
    script,
    doing: `list the commits made since ${remoteBase.slice(0, 7)}`,
    ...(params.signal ? { signal: params.signal } : {}),
  });
  const [baseTree = "", ...lines] = output.split("\n").filter(Boolean);
  if (!/^[0-9a-f]{40}$/.test(baseTree)) {
    throw new PushError({
      kind: "sandbox",
      message: `Ship could not read the tree of ${remoteBase.slice(0, 7)} in the sandbox (got "${baseTree.slice(0, 80)}").`,
    });
  }
  const listed = lines.map((line) => line.split(" "));
  // Merges first: with one in the range, the line check below would only say "does not
  // start at", which hides the real reason.
  const merge = listed.find((shas) => shas.length > 2);
  if (merge) {
    throw new PushError({
      kind: "unsupported",
      message: `Ship pushes a straight line of commits, but ${merge[0]?.slice(0, 7)} is a merge commit; rebase the work instead of merging.`,
    });
  }
  const commits: Array<{ sha: string; parent: string }> = [];
  let expectedParent = remoteBase;
  for (const [sha = "", parent] of listed) {
    if (parent !== expectedParent) {
      throw new PushError({
        kind: "unsupported",
        message: `The sandbox's commits do not start at ${remoteBase.slice(0, 7)}: ${sha.slice(0, 7)} has parent ${parent?.slice(0, 7) ?? "none"}, so they cannot be pushed on top of it.`,
      });
    }
    commits.push({ sha, parent });
    expectedParent = sha;
  }
  return { baseTree, commits };
}
