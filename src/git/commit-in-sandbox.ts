import type { Sandbox } from "e2b";
import { runCommand } from "../sandbox/run-command.js";

/** Who a commit is by. */
export interface CommitIdentity {
  name: string;
  email: string;
}

/**
 * Commits everything the agent changed (`git add -A`) with `message`, authored and
 * committed by `author`, with `Co-authored-by` trailers. Returns undefined when the
 * working tree has no changes (the agent changed nothing since the last commit).
 */
export async function commitInSandbox(params: {
  sandbox: Sandbox;
  dir: string;
  message: string;
  author: CommitIdentity;
  coAuthors: CommitIdentity[];
}): Promise<{ sha: string; files: string[] } | undefined> {
  const { sandbox, dir } = params;
  const git = (args: string[], doing: string, envs: Record<string, string> = {}) =>
    runCommand(sandbox, ["git", "-C", dir, ...args], { category: "commit", doing, envs });

  await git(["add", "-A"], "stage the agent's changes");
  const files = (await git(["diff", "--cached", "--name-only", "-z"], "list the changed files"))
    .split("\0")
    .filter(Boolean);
  if (files.length === 0) return undefined;

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
  return { sha, files };
}
