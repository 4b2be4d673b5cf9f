import type { CommitInfo } from "../git/commit-info.js";
import type { RepositoryRecord } from "../records.js";
import type { Sim } from "../sim.js";
import { renderUser } from "./render-user.js";
import { unsignedVerification } from "./unsigned-verification.js";

type JsonObject = Record<string, unknown>;

/**
 * A commit as the REST API's `commit` (branches, `GET commits/{sha}`, pull request
 * commits, comparisons) on GitHub's example. `author` and `committer` are the GitHub
 * users behind the commit's emails (noreply address or a user's email), else null.
 */
export function renderCommit(
  sim: Sim,
  repository: RepositoryRecord,
  commit: CommitInfo,
  template: JsonObject = sim.templates.example("commit"),
): JsonObject {
  const { state } = sim;
  const { api, web } = sim.urls;
  const fullName = state.fullName(repository);
  const base = `${api}/repos/${fullName}`;
  const out = structuredClone(template);
  // Only `GET commits/{sha}` shows stats and files; its handler adds them.
  delete out.stats;
  delete out.files;
  const userTemplate = template.author as JsonObject | null;
  const gitUser = (email: string) => {
    const match = /^\d+\+([^@]+)@users\.noreply\./.exec(email);
    const user = match?.[1]
      ? state.userByLogin(match[1])
      : [...state.users.values()].find((candidate) => candidate.email === email);
    return user ? renderUser(sim, user, userTemplate ?? undefined) : null;
  };
  const sha = commit.sha;
  return Object.assign(out, {
    sha,
    node_id: `C_kwDO${Buffer.from(`${repository.id}:${sha}`).toString("base64url")}`,
    commit: {
      author: commit.author,
      committer: commit.committer,
      message: commit.message.replace(/\n$/, ""),
      tree: { sha: commit.tree, url: `${base}/git/trees/${commit.tree}` },
      url: `${base}/git/commits/${sha}`,
      comment_count: 0,
      verification: unsignedVerification(),
    },
    url: `${base}/commits/${sha}`,
    html_url: `${web}/${fullName}/commit/${sha}`,
    comments_url: `${base}/commits/${sha}/comments`,
    author: gitUser(commit.author.email),
    committer: gitUser(commit.committer.email),
    parents: commit.parents.map((parent) => ({
      sha: parent,
      url: `${base}/commits/${parent}`,
      html_url: `${web}/${fullName}/commit/${parent}`,
    })),
  });
}
