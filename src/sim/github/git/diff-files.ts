import { runGit } from "./run-git.js";

/** One file of a diff in the terms of GitHub's `diff-entry`. */
export interface DiffFile {
  filename: string;
  previousFilename?: string;
  status: "added" | "removed" | "modified" | "renamed" | "copied" | "changed";
  /** The blob on the new side (the old one for a removed file). */
  sha: string;
  additions: number;
  deletions: number;
  /** The hunks, from the first `@@`; absent for binary files and pure renames. */
  patch?: string;
}

const STATUS: Record<string, DiffFile["status"]> = {
  A: "added",
  D: "removed",
  M: "modified",
  R: "renamed",
  C: "copied",
  T: "changed",
};

/**
 * The files changed from commit `from` to `to` with renames found, as GitHub lists them
 * for a pull request, a comparison or a commit. Three git runs (raw, numstat, patch)
 * share one diff queue, so their entries come in the same order.
 */
export async function diffFiles(params: {
  gitDir: string;
  home: string;
  from: string;
  to: string;
}): Promise<DiffFile[]> {
  const { gitDir, home, from, to } = params;
  const run = (args: string[]) =>
    runGit(["diff", "-M", "--no-color", "--no-ext-diff", ...args, from, to], { home, gitDir });
  const [raw, numstat, patch] = await Promise.all([
    run(["--raw", "-z", "--no-abbrev"]),
    run(["--numstat", "-z"]),
    run(["-p"]),
  ]);
  const files = parseRaw(raw.stdout.toString("utf8"));
  const counts = parseNumstat(numstat.stdout.toString("utf8"));
  const patches = patch.stdout
    .toString("utf8")
    .split(/^(?=diff --git )/m)
    .filter(Boolean);
  return files.map((file, index) => {
    const [additions = 0, deletions = 0] = counts[index] ?? [];
    const text = patches[index] ?? "";
    const hunks = text.search(/^@@/m);
    return {
      ...file,
      additions,
      deletions,
      ...(hunks < 0 ? {} : { patch: text.slice(hunks).replace(/\n$/, "") }),
    };
  });
}

/** `:<mode> <mode> <old sha> <new sha> <status>\0<path>\0[<new path>\0]`. */
function parseRaw(text: string): Array<Omit<DiffFile, "additions" | "deletions" | "patch">> {
  const fields = text.split("\0");
  const files: Array<Omit<DiffFile, "additions" | "deletions" | "patch">> = [];
  for (let index = 0; index < fields.length; index++) {
    const meta = fields[index] ?? "";
    if (!meta.startsWith(":")) continue;
    const [, , oldSha = "", newSha = "", code = ""] = meta.slice(1).split(" ");
    const status = STATUS[code[0] ?? ""] ?? "modified";
    const first = fields[++index] ?? "";
    if (status === "renamed" || status === "copied") {
      const second = fields[++index] ?? "";
      files.push({ filename: second, previousFilename: first, status, sha: newSha });
    } else {
      files.push({ filename: first, status, sha: status === "removed" ? oldSha : newSha });
    }
  }
  return files;
}

/** `<added>\t<deleted>\t<path>\0`, or for a rename `<added>\t<deleted>\t\0<old>\0<new>\0`. */
function parseNumstat(text: string): Array<[number, number]> {
  const fields = text.split("\0");
  const counts: Array<[number, number]> = [];
  for (let index = 0; index < fields.length; index++) {
    const parts = (fields[index] ?? "").split("\t");
    if (parts.length < 3) continue;
    // Binary files show "-": no lines.
    counts.push([
      Number.parseInt(parts[0] ?? "", 10) || 0,
      Number.parseInt(parts[1] ?? "", 10) || 0,
    ]);
    if (parts[2] === "") index += 2;
  }
  return counts;
}
