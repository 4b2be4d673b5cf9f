import type { GitDataOctokit } from "./git-data-octokit.js";
import type { SandboxBlobs } from "./open-sandbox-blobs.js";
import { PushError } from "./push-error.js";
import type { SandboxCommit } from "./read-sandbox-commit.js";
import { toPushError } from "./to-push-error.js";
import { uploadSandboxBlobs } from "./upload-sandbox-blobs.js";

const zeroSha = /^0+$/;

/**
 * Creates on GitHub the commit `commit` is in the sandbox, on top of `remoteParent`
 * (whose tree is `baseTree`): the blobs GitHub lacks, one tree holding only the changed
 * paths over `baseTree` (deletions as `sha: null`), then a commit with the same message,
 * author and committer. Returns GitHub's commit id, equal to `commit.sha` when GitHub
 * kept every byte.
 *
 * `knownBlobs` holds blob ids GitHub already has and grows with each upload. A blob a
 * commit replaces or deletes is in the remote parent's tree, so a rename, a revert or a
 * mode-only change uploads nothing; asking GitHub (`git.getBlob`) instead would cost a
 * call per new file, and new files are almost always new content.
 */
export async function recreateCommit(params: {
  octokit: GitDataOctokit;
  owner: string;
  repo: string;
  commit: SandboxCommit;
  remoteParent: string;
  baseTree: string;
  blobs: SandboxBlobs;
  knownBlobs: Set<string>;
  signal?: AbortSignal;
}): Promise<string> {
  const { octokit, owner, repo, commit, blobs, knownBlobs, signal } = params;
  const repository = `${owner}/${repo}`;
  const request = signal ? { request: { signal } } : {};
  const api = async <T>(doing: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw toPushError(error, { doing, repository });
    }
  };

  for (const change of commit.changes) {
    if (!zeroSha.test(change.srcSha)) knownBlobs.add(change.srcSha);
  }
  const kept = commit.changes.filter((change) => change.status !== "D");
  const missing = [...new Set(kept.map((change) => change.dstSha))].filter(
    (sha) => !knownBlobs.has(sha),
  );
  if (missing.length > 0) {
    await blobs.export(missing);
    await uploadSandboxBlobs({ octokit, owner, repo, blobs, shas: missing, ...optional(signal) });
    for (const sha of missing) knownBlobs.add(sha);
  }

  type Mode = "100644" | "100755" | "120000";
  const tree = commit.changes.map((change) =>
    change.status === "D"
      ? { path: change.path, mode: change.srcMode as Mode, type: "blob" as const, sha: null }
      : {
          path: change.path,
          mode: change.dstMode as Mode,
          type: "blob" as const,
          sha: change.dstSha,
        },
  );
  // An empty commit keeps its parent's tree; GitHub is not asked to build an empty change.
  const treeSha =
    tree.length === 0
      ? params.baseTree
      : (
          await api("save the changed files", () =>
            octokit.rest.git.createTree({
              owner,
              repo,
              base_tree: params.baseTree,
              tree,
              ...request,
            }),
          )
        ).data.sha;
  // Same content must give the same tree id; if not, GitHub holds other files than the
  // sandbox, and pushing that would be wrong whatever the commit id.
  if (treeSha !== commit.tree) {
    throw new PushError({
      kind: "corrupt",
      message: `GitHub built tree ${treeSha.slice(0, 7)} for commit ${commit.sha.slice(0, 7)}, whose tree in the sandbox is ${commit.tree.slice(0, 7)}; Ship stopped before pushing different files.`,
    });
  }
  const { data: created } = await api("create a commit", () =>
    octokit.rest.git.createCommit({
      owner,
      repo,
      message: commit.message,
      tree: treeSha,
      parents: [params.remoteParent],
      author: commit.author,
      committer: commit.committer,
      ...request,
    }),
  );
  return created.sha;
}

function optional(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal ? { signal } : {};
}
