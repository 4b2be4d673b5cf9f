import type { Sandbox } from "e2b";
import { parseDiffTree, type TreeChange } from "./parse-diff-tree.js";
import { type GitSignature, parseRawCommit } from "./parse-raw-commit.js";
import { PushError } from "./push-error.js";
import { runInSandbox } from "./run-in-sandbox.js";
import { shellCommand } from "./shell-command.js";

/** A commit in the sandbox's clone: what GitHub needs to create the same one. */
export interface SandboxCommit {
  sha: string;
  tree: string;
  parent: string;
  author: GitSignature;
  committer: GitSignature;
  /** Exactly as committed, trailing newline included. */
  message: string;
  /** Headers the Git Data API cannot carry (`gpgsig`, ...); see `parseRawCommit`. */
  extraHeaders: string[];
  changes: TreeChange[];
}

/**
 * Reads one commit and its changes against `parent` in a single sandbox command: the
 * raw commit object, a NUL (which a commit object never holds: git refuses NUL in
 * messages), then `git diff-tree -z`. Renames come as delete + add, so each path
 * stands alone in the tree GitHub builds.
 */
export async function readSandboxCommit(params: {
  sandbox: Pick<Sandbox, "commands">;
  repoDir: string;
  sha: string;
  parent: string;
  signal?: AbortSignal;
}): Promise<SandboxCommit> {
  const { sha, parent } = params;
  const script = [
    shellCommand(["git", "cat-file", "commit", sha]),
    shellCommand(["printf", "\\0"]),
    shellCommand([
      "git",
      "diff-tree",
      "-r",
      "-z",
      "--raw",
      "--no-renames",
      "--no-abbrev",
      parent,
      sha,
    ]),
  ].join(" && ");
  const output = await runInSandbox({
    sandbox: params.sandbox,
    cwd: params.repoDir,
    script,
    doing: `read commit ${sha.slice(0, 7)}`,
    ...(params.signal ? { signal: params.signal } : {}),
  });
  const nul = output.indexOf("\0");
  const commit = parseRawCommit(nul < 0 ? output : output.slice(0, nul));
  const changes = parseDiffTree(nul < 0 ? "" : output.slice(nul + 1));
  for (const change of changes) {
    // The sandbox's stdout arrives decoded as UTF-8; a path that is not UTF-8 comes back
    // with U+FFFD and cannot be named in GitHub's JSON API anyway.
    if (change.path.includes("\uFFFD")) {
      throw new PushError({
        kind: "unsupported",
        message: `Commit ${sha.slice(0, 7)} touches a file whose name is not valid UTF-8 (${JSON.stringify(change.path)}); GitHub's API cannot create it.`,
      });
    }
    if (change.srcMode === "160000" || change.dstMode === "160000") {
      throw new PushError({
        kind: "unsupported",
        message: `Commit ${sha.slice(0, 7)} changes the submodule "${change.path}"; Ship does not push submodule changes.`,
      });
    }
  }
  return {
    sha,
    parent,
    tree: commit.tree,
    author: commit.author,
    committer: commit.committer,
    message: commit.message,
    extraHeaders: commit.extraHeaders,
    changes,
  };
}
