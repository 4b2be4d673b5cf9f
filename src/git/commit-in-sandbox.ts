import type { Sandbox } from "e2b";
import { runCommand } from "../sandbox/run-command.js";

/** Who a commit is by. */
export interface CommitIdentity {
  name: string;
  email: string;
}

/** Paths Ship never commits: CI workflows run with the repository's secrets on push. */
export const protectedPaths = [".github/workflows/"];

/** GitHub refuses a push with a file over 100 MiB. */
const maxFileMiB = 100;

/** A file the agent changed that Ship did not commit, and why. */
export interface LeftOutFile {
  path: string;
  why: "workflow" | "too-large";
}

/**
 * Commits everything the agent changed since `base` (the branch's head on GitHub) as
 * ONE commit with `message`, authored and committed by `author`, with `Co-authored-by`
 * trailers. Commits the agent made by itself are folded in (their content stays, their
 * authorship and messages do not), so the branch only ever holds Ship's commits.
 * Changes under `protectedPaths` are left out and reported (a workflow written from an
 * issue's text would run with the repository's secrets), and so are files larger than
 * GitHub takes. `sha` is undefined when there is nothing to commit.
 */
export async function commitInSandbox(params: {
  sandbox: Sandbox;
  dir: string;
  base: string;
  message: string;
  author: CommitIdentity;
  coAuthors: CommitIdentity[];
}): Promise<{ sha: string | undefined; files: string[]; leftOut: LeftOutFile[] }> {
  const { sandbox, dir } = params;
  const git = (args: string[], doing: string, envs: Record<string, string> = {}) =>
    runCommand(sandbox, ["git", "-C", dir, ...args], { category: "commit", doing, envs });

  await git(["reset", "-q", "--soft", params.base], "fold the agent's own commits in");
  await git(["add", "-A"], "stage the agent's changes");
  const staged = (await git(["diff", "--cached", "--name-only", "-z"], "list the changed files"))
    .split("\0")
    .filter(Boolean);
  const large = await runCommand(
    sandbox,
    [
      "find",
      ".",
      "-path",
      "./.git",
      "-prune",
      "-o",
      "-type",
      "f",
      "-size",
      `+${maxFileMiB}M`,
      "-print0",
    ],
    { category: "commit", doing: "look for files too large for GitHub", cwd: dir },
  );
  const tooLarge = new Set(
    large
      .split("\0")
      .filter(Boolean)
      .map((file) => file.replace(/^\.\//, "")),
  );
  const leftOut: LeftOutFile[] = staged.flatMap((path): LeftOutFile[] => {
    if (protectedPaths.some((prefix) => path.startsWith(prefix)))
      return [{ path, why: "workflow" }];
    return tooLarge.has(path) ? [{ path, why: "too-large" }] : [];
  });
  if (leftOut.length > 0) {
    await git(
      ["reset", "-q", "--", ...leftOut.map((file) => `:(literal)${file.path}`)],
      "leave out what Ship does not commit",
    );
  }
  const files = staged.filter((file) => !leftOut.some((left) => left.path === file));
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
