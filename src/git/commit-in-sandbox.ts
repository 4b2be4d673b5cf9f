import type { Sandbox } from "e2b";
import { runCommand } from "../sandbox/run-command.js";

/** Who a commit is by. */
export interface CommitIdentity {
  name: string;
  email: string;
}

/** Paths Ship never commits: CI workflows run with the repository's secrets on push. */
export const protectedPaths = [".github/workflows/"];

/**
 * Commits everything the agent changed since `base` (the branch's head on GitHub) as
 * ONE commit with `message`, authored and committed by `author`, with `Co-authored-by`
 * trailers. Commits the agent made by itself are folded in (their content stays, their
 * authorship and messages do not), so the branch only ever holds Ship's commits.
 * Changes under `protectedPaths` are left out and reported: a workflow written from an
 * issue's text would run with the repository's secrets. `sha` is undefined when there
 * is nothing to commit.
 */
export async function commitInSandbox(params: {
  sandbox: Sandbox;
  dir: string;
  base: string;
  message: string;
  author: CommitIdentity;
  coAuthors: CommitIdentity[];
}): Promise<{ sha: string | undefined; files: string[]; leftOut: string[] }> {
  const { sandbox, dir } = params;
  const git = (args: string[], doing: string, envs: Record<string, string> = {}) =>
    runCommand(sandbox, ["git", "-C", dir, ...args], { category: "commit", doing, envs });

  await git(["reset", "-q", "--soft", params.base], "fold the agent's own commits in");
  await git(["add", "-A"], "stage the agent's changes");
  const staged = (await git(["diff", "--cached", "--name-only", "-z"], "list the changed files"))
    .split("\0")
    .filter(Boolean);
  const leftOut = staged.filter((file) => protectedPaths.some((path) => file.startsWith(path)));
  if (leftOut.length > 0) {
    await git(["reset", "-q", "--", ...protectedPaths], "leave out the workflow changes");
  }
  const files = staged.filter((file) => !leftOut.includes(file));
  if (files.length === 0) return { sha: undefined, files, leftOut };

  const trailers = params.coAuthors.map(
    (person) => `Co-authored-by: ${person.name} <${person.email}>`,
  );
  const message = [
    params.message.trim() || "Changes by Ship",
    ...(trailers.length ? ["", ...trailers] : []),
  ].join("\n");
  const identity = {
    GIT_AUTHOR_NAME: params.author.name,
    GIT_AUTHOR_EMAIL: params.author.email,
    GIT_COMMITTER_NAME: params.author.name,
    GIT_COMMITTER_EMAIL: params.author.email,
    // UTC dates: the commit Ship re-creates on GitHub then has the same id even if
    // GitHub normalizes time zones.
    TZ: "UTC",
  };
  await git(["commit", "-q", "--no-verify", "-m", message], "commit the agent's changes", identity);
  const sha = (await git(["rev-parse", "HEAD"], "read the new commit")).trim();
  return { sha, files, leftOut };
}
