import type { CommitInfo } from "./commit-info.js";
import { parseCommit } from "./parse-commit.js";
import { runGit } from "./run-git.js";

/** Reads and parses one commit object (`git cat-file commit`). */
export async function readCommit(params: {
  gitDir: string;
  home: string;
  sha: string;
}): Promise<CommitInfo> {
  const { stdout } = await runGit(["cat-file", "commit", params.sha], {
    home: params.home,
    gitDir: params.gitDir,
  });
  return parseCommit(params.sha, stdout.toString("utf8"));
}
