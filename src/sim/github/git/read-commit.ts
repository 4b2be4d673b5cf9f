import { parseCommit } from "./parse-commit.js";
import { runGit } from "./run-git.js";

/** A commit's parts as the REST API reports them. */
export interface CommitInfo {
  sha: string;
  tree: string;
  parents: string[];
  author: { name: string; email: string; date: string };
  committer: { name: string; email: string; date: string };
  message: string;
}

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
