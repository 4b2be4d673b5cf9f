import type { CommitInfo } from "./commit-info.js";
import { parseCommit } from "./parse-commit.js";
import { runGit } from "./run-git.js";

/**
 * Several commits in one git process (`cat-file --batch`): a pull request lists up to
 * 250, and one process per commit would cost more than the rest of the request.
 */
export async function readCommits(params: {
  gitDir: string;
  home: string;
  shas: string[];
}): Promise<CommitInfo[]> {
  if (params.shas.length === 0) return [];
  const { stdout } = await runGit(["cat-file", "--batch"], {
    home: params.home,
    gitDir: params.gitDir,
    input: `${params.shas.join("\n")}\n`,
  });
  const commits: CommitInfo[] = [];
  let offset = 0;
  for (const sha of params.shas) {
    // Each object: "<sha> <type> <size>\n<size bytes>\n".
    const headerEnd = stdout.indexOf(0x0a, offset);
    const [, type = "", size = "0"] = stdout
      .subarray(offset, headerEnd)
      .toString("utf8")
      .split(" ");
    if (type !== "commit") throw new Error(`${sha} is not a commit`);
    const start = headerEnd + 1;
    const end = start + Number(size);
    commits.push(parseCommit(sha, stdout.subarray(start, end).toString("utf8")));
    offset = end + 1;
  }
  return commits;
}
