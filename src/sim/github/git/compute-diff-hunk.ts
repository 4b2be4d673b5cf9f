import { runGit } from "./run-git.js";

/**
 * The `diff_hunk` GitHub puts on a review comment: the three-dot diff's hunk header and
 * lines of `path` up to and including the commented line (a line of the new file for
 * RIGHT, of the old file for LEFT). Undefined when the line is not in the diff.
 */
export async function computeDiffHunk(params: {
  gitDir: string;
  home: string;
  baseSha: string;
  headSha: string;
  path: string;
  line: number;
  side: "LEFT" | "RIGHT";
}): Promise<string | undefined> {
  const { gitDir, home, baseSha, headSha } = params;
  const diff = await runGit(["diff", "--no-color", `${baseSha}...${headSha}`, "--", params.path], {
    home,
    gitDir,
  });
  const lines = diff.stdout.toString("utf8").split("\n");
  let header: string | undefined;
  let taken: string[] = [];
  let oldLine = 0;
  let newLine = 0;
  for (const text of lines) {
    const hunk = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(text);
    if (hunk) {
      header = text;
      taken = [];
      oldLine = Number(hunk[1]);
      newLine = Number(hunk[2]);
      continue;
    }
    if (header === undefined || text.startsWith("\\")) continue;
    const kind = text[0];
    if (kind !== " " && kind !== "+" && kind !== "-") continue;
    taken.push(text);
    const hitsOld = kind !== "+" && params.side === "LEFT" && oldLine === params.line;
    const hitsNew = kind !== "-" && params.side === "RIGHT" && newLine === params.line;
    if (hitsOld || hitsNew) return [header, ...taken].join("\n");
    if (kind !== "+") oldLine++;
    if (kind !== "-") newLine++;
  }
  return undefined;
}
