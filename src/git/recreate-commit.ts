import { defangAgentText } from "../report/defang-agent-text.js";
import type { CommitIdentity } from "./commit-in-sandbox.js";
import type { GitDataOctokit } from "./git-data-octokit.js";
import type { SandboxBlobs } from "./open-sandbox-blobs.js";
import type { TreeChange } from "./parse-diff-tree.js";
import { PushError } from "./push-error.js";
import type { SandboxCommit } from "./read-sandbox-commit.js";
import { toPushError } from "./to-push-error.js";
import { uploadSandboxBlobs } from "./upload-sandbox-blobs.js";

const zeroSha = /^0+$/;

/** Room for the agent's text that `commitInSandbox` allows, its trailers, and more. */
const maxCommitMessageLength = 16_000;

/**
 * Creates on GitHub the commit `commit` is in the sandbox, on top of `remoteParent`
 * (whose tree is `baseTree`): the blobs GitHub lacks, one tree holding only `changes`
 * over `baseTree` (deletions as `sha: null`), then a commit with the same dates, authored
 * and committed by `author`, and the same message defanged (`defangAgentText`, plain):
 * whatever a hook made of it in the sandbox, the pushed message mentions no one, closes
 * no issue and links nowhere. Returns GitHub's commit and tree ids and the message; the
 * commit id equals `commit.sha` when nothing was left out, the sandbox's commit was by
 * `author`, its message was already defanged (as `commitInSandbox` writes it), and
 * GitHub kept every byte.
 *
 * `changes` are the commit's changes Ship chose to push (see `selectPushedChanges`).
 * When they are all of them, GitHub's tree must equal the sandbox's, and a difference
 * stops the push; when some were left out, the trees differ by design.
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
  changes: readonly TreeChange[];
  author: CommitIdentity;
  remoteParent: string;
  baseTree: string;
  blobs: SandboxBlobs;
  knownBlobs: Set<string>;
  signal?: AbortSignal;
}): Promise<{ sha: string; tree: string; message: string }> {
  const { octokit, owner, repo, commit, changes, blobs, knownBlobs, signal } = params;
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

  for (const change of changes) {
    if (!zeroSha.test(change.srcSha)) knownBlobs.add(change.srcSha);
  }
  const kept = changes.filter((change) => change.status !== "D");
  const missing = [...new Set(kept.map((change) => change.dstSha))].filter(
    (sha) => !knownBlobs.has(sha),
  );
  if (missing.length > 0) {
    await blobs.export(missing);
    await uploadSandboxBlobs({ octokit, owner, repo, blobs, shas: missing, ...optional(signal) });
    for (const sha of missing) knownBlobs.add(sha);
  }

  type Mode = "100644" | "100755" | "120000";
  const tree = changes.map((change) =>
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
  const complete = changes.length === commit.changes.length;
  if (complete && treeSha !== commit.tree) {
    throw new PushError({
      kind: "corrupt",
      message: `GitHub built tree ${treeSha.slice(0, 7)} for commit ${commit.sha.slice(0, 7)}, whose tree in the sandbox is ${commit.tree.slice(0, 7)}; Ship stopped before pushing different files.`,
    });
  }
  const message = defangAgentText(commit.message, {
    maxLength: maxCommitMessageLength,
    plain: true,
  });
  const { data: created } = await api("create a commit", () =>
    octokit.rest.git.createCommit({
      owner,
      repo,
      message,
      tree: treeSha,
      parents: [params.remoteParent],
      // Whatever the sandbox's commit says (a hook may have amended it): the person Ship
      // acts for wrote it. Only the dates are kept, so an honest commit keeps its id.
      author: { ...params.author, date: commit.author.date },
      committer: { ...params.author, date: commit.committer.date },
      ...request,
    }),
  );
  return { sha: created.sha, tree: treeSha, message };
}

function optional(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal ? { signal } : {};
}
