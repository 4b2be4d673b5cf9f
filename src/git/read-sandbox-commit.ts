import type { Sandbox } from "e2b";
import {
  maxChangedPaths,
  parseDiffTree,
  TooManyChangesError,
  type TreeChange,
} from "./parse-diff-tree.js";
import { type GitSignature, parseRawCommit } from "./parse-raw-commit.js";
import { PushError } from "./push-error.js";
import { readBlobSizes } from "./read-blob-sizes.js";
import { runInSandbox } from "./run-in-sandbox.js";
import { shellCommand } from "./shell-command.js";

/** Blob ids per size check (one command line holds them all). */
const sizeBatch = 400;

/** What reading one commit may print: the commit object and its changed paths. */
const commitOutputBytes = 16 * 1024 * 1024;

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
    // Room for the most paths Ship pushes (a path is at most 4 KiB) and a long message.
    maxOutputBytes: commitOutputBytes,
    ...(params.signal ? { signal: params.signal } : {}),
  });
  const nul = output.indexOf("\0");
  const commit = parseRawCommit(nul < 0 ? output : output.slice(0, nul));
  let changes: TreeChange[];
  try {
    changes = parseDiffTree(nul < 0 ? "" : output.slice(nul + 1), maxChangedPaths);
  } catch (error) {
    if (!(error instanceof TooManyChangesError)) throw error;
    throw new PushError({
      kind: "unsupported",
      message: `Commit ${sha.slice(0, 7)} changes more than ${error.limit} files; Ship pushes at most ${error.limit} per commit. Split the change into smaller commits.`,
      cause: error,
    });
  }
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
  // Sizes come before any byte is read, so a file too large for GitHub is left out
  // (`leaveOutOversizedFiles`) instead of read into Ship's memory.
  const added = [...new Set(changes.filter((c) => c.status !== "D").map((c) => c.dstSha))];
  const sizes = new Map<string, number>();
  for (let start = 0; start < added.length; start += sizeBatch) {
    const batch = added.slice(start, start + sizeBatch);
    for (const [blob, size] of await readBlobSizes({
      sandbox: params.sandbox,
      repoDir: params.repoDir,
      shas: batch,
      signal: params.signal,
    }))
      sizes.set(blob, size);
  }
  for (const change of changes) {
    const size = change.status === "D" ? undefined : sizes.get(change.dstSha);
    if (size !== undefined) change.dstSize = size;
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
