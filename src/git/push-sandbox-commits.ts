import type { Sandbox } from "e2b";
import { advanceBranch } from "./advance-branch.js";
import type { CommitIdentity } from "./commit-in-sandbox.js";
import type { GitDataOctokit } from "./git-data-octokit.js";
import { leaveOutOversizedFiles } from "./leave-out-oversized-files.js";
import type { LeftOutFile } from "./left-out-file.js";
import { listSandboxCommits } from "./list-sandbox-commits.js";
import { openSandboxBlobs } from "./open-sandbox-blobs.js";
import { PushError } from "./push-error.js";
import { readSandboxCommit } from "./read-sandbox-commit.js";
import { recreateCommit } from "./recreate-commit.js";
import { selectPushedChanges } from "./select-pushed-changes.js";
import { toPushError } from "./to-push-error.js";

/** What `pushSandboxCommits` put on GitHub. */
export interface PushSandboxCommitsResult {
  /** Where the branch now points on GitHub (`remoteBase` when there was nothing to push). */
  headSha: string;
  /** The sandbox's commit `headSha` stands for: the next push's `localBase`. */
  localHead: string;
  /**
   * Oldest first; `message` as pushed (the sandbox's, defanged: see `recreateCommit`).
   * A commit whose every change was left out is not created on GitHub and is not listed.
   */
  commits: Array<{ localSha: string; remoteSha: string; message: string }>;
  /** Every path these commits changed on GitHub, once each, in order. */
  files: string[];
  /** What the sandbox's commits changed that Ship did not push, once per path. */
  leftOut: LeftOutFile[];
  /**
   * True when every commit got the same id on GitHub as in the sandbox (the normal
   * case: git objects are content-addressed). When false (something was left out, the
   * sandbox's commit was by someone else, its message had to be defanged, or a header
   * the API cannot carry), GitHub
   * holds other ids: push on with `localBase: localHead` and `remoteBase: headSha`, or
   * move the sandbox onto GitHub's commits (`git fetch origin <branch>`, then
   * `git reset --soft <headSha>`).
   */
  shasMatch: boolean;
  /** What happened to `refs/heads/<branch>`. */
  branch: "created" | "updated" | "unchanged";
}

const sha1 = /^[0-9a-f]{40}$/;

/**
 * Pushes the commits made in the sandbox's clone since `remoteBase` to `branch` on
 * GitHub, from outside the sandbox, with the Git Data API. The sandbox never holds a
 * credential that can write: it only committed; `octokit` (the pushing identity) stays
 * here. What is pushed is decided here too, from Ship's own reading of each commit,
 * never from what the sandbox reports: changes under `.github/` or the repository's
 * `protectedPaths` are left out (`selectPushedChanges`), and every commit is authored
 * and committed by `author` whatever the sandbox's commit says. Each commit keeps its
 * message and dates (with their offsets), so an honest commit gets the same id as in the
 * sandbox; see `shasMatch`. Cost scales with the change: per commit one blob upload per new file
 * content, one tree, one commit; per push one ref read and one ref write.
 *
 * The branch is created if missing, else fast-forwarded from `remoteBase` and never
 * forced. Pushing again after a failure is safe: objects already created are created
 * again with the same ids, and a branch already at the new head is left alone.
 *
 * Throws a `PushError`: `branch-moved` when someone else pushed to the branch;
 * `github` with GitHub's `status` and whether it is `retryable`; `unsupported` for merge
 * commits, submodule changes or non-UTF-8 file names; `sandbox` or `corrupt` otherwise.
 * When `signal` aborts, its reason is thrown.
 */
export async function pushSandboxCommits(params: {
  /** An e2b sandbox (`commands.run`, `files.read`). */
  sandbox: Pick<Sandbox, "commands" | "files">;
  /** The clone inside the sandbox. */
  repoDir: string;
  /** REST client of the identity that pushes (`@octokit/rest` or Probot's Octokit). */
  octokit: GitDataOctokit;
  owner: string;
  repo: string;
  /** Branch name without `refs/heads/`. Never passed to a shell. */
  branch: string;
  /** A commit GitHub already has: what the first pushed commit goes on top of. */
  remoteBase: string;
  /**
   * The sandbox's commit that `remoteBase` stands for: the parent of the first local
   * commit to push. `remoteBase` unless an earlier push left something out.
   */
  localBase?: string;
  /** Who every pushed commit is by: the person Ship acts for. */
  author: CommitIdentity;
  /** The repository's own globs to leave out, on top of `.github/`. */
  protectedPaths?: readonly string[];
  signal?: AbortSignal;
}): Promise<PushSandboxCommitsResult> {
  const { sandbox, repoDir, octokit, owner, repo, branch, remoteBase, signal } = params;
  const localBase = params.localBase ?? remoteBase;
  if (!sha1.test(remoteBase) || !sha1.test(localBase)) {
    throw new PushError({ kind: "unsupported", message: `"${remoteBase}" is not a commit id.` });
  }
  if (branch.length === 0 || branch.startsWith("refs/")) {
    throw new PushError({ kind: "unsupported", message: `"${branch}" is not a branch name.` });
  }
  const optional = signal ? { signal } : {};

  // 1. What to push: the sandbox's commits since localBase, in a straight line.
  const listed = await listSandboxCommits({
    sandbox,
    repoDir,
    remoteBase: localBase,
    ...optional,
  });
  const { commits } = listed;
  // The tree under remoteBase: the sandbox's when the two bases are one commit, else
  // GitHub's (the sandbox's holds what earlier pushes left out).
  const baseTree =
    localBase === remoteBase
      ? listed.baseTree
      : await readRemoteTree({ octokit, owner, repo, sha: remoteBase, ...optional });

  // 2. Re-create each on GitHub on top of the previous one.
  const blobs = openSandboxBlobs({ sandbox, repoDir, ...optional });
  const knownBlobs = new Set<string>();
  const pushed: PushSandboxCommitsResult["commits"] = [];
  const files = new Set<string>();
  const leftOut = new Map<string, LeftOutFile>();
  let remoteParent = remoteBase;
  let parentTree = baseTree;
  let shasMatch = localBase === remoteBase;
  try {
    for (const { sha, parent } of commits) {
      signal?.throwIfAborted();
      const commit = await readSandboxCommit({ sandbox, repoDir, sha, parent, ...optional });
      const chosen = leaveOutOversizedFiles(
        selectPushedChanges(commit.changes, params.protectedPaths),
      );
      for (const file of chosen.leftOut) if (!leftOut.has(file.path)) leftOut.set(file.path, file);
      if (chosen.pushed.length === 0 && chosen.leftOut.length > 0) {
        shasMatch = false;
        continue;
      }
      const created = await recreateCommit({
        octokit,
        owner,
        repo,
        commit,
        changes: chosen.pushed,
        author: params.author,
        remoteParent,
        baseTree: parentTree,
        blobs,
        knownBlobs,
        ...optional,
      });
      pushed.push({ localSha: sha, remoteSha: created.sha, message: created.message });
      for (const change of chosen.pushed) files.add(change.path);
      if (created.sha !== sha) shasMatch = false;
      remoteParent = created.sha;
      parentTree = created.tree;
    }
  } finally {
    await blobs.close();
  }

  // 3. Move the branch, only forward and only from where these commits start; not at
  // all when everything was left out (no branch of nothing but the base).
  signal?.throwIfAborted();
  const left = commits.length > 0 && pushed.length === 0;
  const branchUpdate = left
    ? "unchanged"
    : await advanceBranch({
        octokit,
        owner,
        repo,
        branch,
        from: remoteBase,
        to: remoteParent,
        ...optional,
      });
  return {
    headSha: remoteParent,
    localHead: commits.at(-1)?.sha ?? localBase,
    commits: pushed,
    files: [...files],
    leftOut: [...leftOut.values()],
    shasMatch,
    branch: branchUpdate,
  };
}

/** The tree of a commit GitHub has. */
async function readRemoteTree(params: {
  octokit: GitDataOctokit;
  owner: string;
  repo: string;
  sha: string;
  signal?: AbortSignal;
}): Promise<string> {
  const { octokit, owner, repo, sha, signal } = params;
  try {
    const { data } = await octokit.rest.git.getCommit({
      owner,
      repo,
      commit_sha: sha,
      ...(signal ? { request: { signal } } : {}),
    });
    return data.tree.sha;
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw toPushError(error, {
      doing: `read commit ${sha.slice(0, 7)}`,
      repository: `${owner}/${repo}`,
    });
  }
}
