import type { PullRequestRecord } from "../records.js";
import { runGit } from "./run-git.js";

/**
 * What GitHub shows on a pull request: commits on the head not on the base, and the
 * three-dot diff's line and file counts. Both commits must be in `gitDir`.
 */
export async function computePullStats(params: {
  gitDir: string;
  home: string;
  baseSha: string;
  headSha: string;
}): Promise<PullRequestRecord["stats"]> {
  const { gitDir, home, baseSha, headSha } = params;
  const [count, numstat] = await Promise.all([
    runGit(["rev-list", "--count", `${baseSha}..${headSha}`], { home, gitDir }),
    runGit(["diff", "--numstat", `${baseSha}...${headSha}`], { home, gitDir }),
  ]);
  let additions = 0;
  let deletions = 0;
  let changedFiles = 0;
  for (const line of numstat.stdout.toString("utf8").split("\n")) {
    const [added, deleted] = line.split("\t");
    if (added === undefined || deleted === undefined) continue;
    changedFiles++;
    // Binary files show "-": they count as a changed file without lines.
    additions += Number.parseInt(added, 10) || 0;
    deletions += Number.parseInt(deleted, 10) || 0;
  }
  return {
    commits: Number.parseInt(count.stdout.toString("utf8"), 10) || 0,
    additions,
    deletions,
    changedFiles,
  };
}
