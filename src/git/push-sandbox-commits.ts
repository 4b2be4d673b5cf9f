import type { Sandbox } from "e2b";
import { advanceBranch } from "./advance-branch.js";
import type { GitDataOctokit } from "./git-data-octokit.js";
import { listSandboxCommits } from "./list-sandbox-commits.js";
import { openSandboxBlobs } from "./open-sandbox-blobs.js";
import { PushError } from "./push-error.js";
import { readSandboxCommit } from "./read-sandbox-commit.js";
import { recreateCommit } from "./recreate-commit.js";

/** What `pushSandboxCommits` put on GitHub. */
export interface PushSandboxCommitsResult {
  /** Where the branch now points on GitHub (`remoteBase` when there was nothing to push). */
  headSha: string;
  /** Oldest first; `message` exactly as committed. */
  commits: Array<{ localSha: string; remoteSha: string; message: string }>;
  /**
   * True when every commit got the same id on GitHub as in the sandbox (the normal
   * case: git objects are content-addressed). When false, GitHub holds the same files
   * and messages under other ids, and the sandbox's branch must be moved onto them
   * before the next push, whose `remoteBase` is `headSha`: in the sandbox,
   * `git fetch origin <branch>` (the read-only token may fetch) then
   * `git reset --soft <headSha>` (same tree, so the work tree and index stay as they are).
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
 * here. Each commit is re-created with the same tree, message, author and committer
 * (dates with their offsets), so it normally gets the same id as in the sandbox; see
 * `shasMatch`. Cost scales with the change: per commit one blob upload per new file
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
  /** A commit GitHub already has: the parent of the first local commit to push. */
  remoteBase: string;
  signal?: AbortSignal;
}): Promise<PushSandboxCommitsResult> {
  const { sandbox, repoDir, octokit, owner, repo, branch, remoteBase, signal } = params;
  if (!sha1.test(remoteBase)) {
    throw new PushError({ kind: "unsupported", message: `"${remoteBase}" is not a commit id.` });
  }
  if (branch.length === 0 || branch.startsWith("refs/")) {
    throw new PushError({ kind: "unsupported", message: `"${branch}" is not a branch name.` });
  }
  const optional = signal ? { signal } : {};

  // 1. What to push: the sandbox's commits since remoteBase, in a straight line.
  const { baseTree, commits } = await listSandboxCommits({
    sandbox,
    repoDir,
    remoteBase,
    ...optional,
  });

  // 2. Re-create each on GitHub on top of the previous one.
  const blobs = openSandboxBlobs({ sandbox, repoDir, ...optional });
  const knownBlobs = new Set<string>();
  const pushed: PushSandboxCommitsResult["commits"] = [];
  let remoteParent = remoteBase;
  let parentTree = baseTree;
  try {
    for (const { sha, parent } of commits) {
      signal?.throwIfAborted();
      const commit = await readSandboxCommit({ sandbox, repoDir, sha, parent, ...optional });
      const remoteSha = await recreateCommit({
        octokit,
        owner,
        repo,
        commit,
        remoteParent,
        baseTree: parentTree,
        blobs,
        knownBlobs,
        ...optional,
      });
      pushed.push({ localSha: sha, remoteSha, message: commit.message });
      remoteParent = remoteSha;
      parentTree = commit.tree; // equal on GitHub: recreateCommit checked the tree id
    }
  } finally {
    await blobs.close();
  }

  // 3. Move the branch, only forward and only from where these commits start.
  signal?.throwIfAborted();
  const branchUpdate = await advanceBranch({
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
    commits: pushed,
    shasMatch: pushed.every((commit) => commit.localSha === commit.remoteSha),
    branch: branchUpdate,
  };
}
