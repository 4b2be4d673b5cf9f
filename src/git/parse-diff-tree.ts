/** Paths one commit may change for Ship to push it. */
export const maxChangedPaths = 10_000;

/** A commit changes more paths than Ship pushes. */
export class TooManyChangesError extends Error {
  override readonly name = "TooManyChangesError";
  constructor(readonly limit: number) {
    super(`more than ${limit} changed paths`);
  }
}

/** One path that differs between two trees, from `git diff-tree -r -z --raw`. */
export interface TreeChange {
  path: string;
  /** `A` added, `D` deleted, `M` modified (content or mode), `T` type changed. */
  status: string;
  srcMode: string;
  dstMode: string;
  /** All zeros when the path did not exist before. */
  srcSha: string;
  /** All zeros when the path was deleted. */
  dstSha: string;
  /** The new blob's size in bytes, as `readSandboxCommit` asked git (absent for a deletion). */
  dstSize?: number;
}

/**
 * Parses `git diff-tree -r -z --raw --no-renames` output: `:srcMode dstMode srcSha
 * dstSha status\0path\0` per change. `-z` keeps paths verbatim (spaces, quotes,
 * newlines), where the default output would quote and escape them. More than
 * `maxChanges` paths throws `TooManyChangesError`: each becomes a tree entry, a blob
 * upload and a row Ship keeps, and the sandbox decides how many there are.
 */
export function parseDiffTree(output: string, maxChanges = maxChangedPaths): TreeChange[] {
  const fields = output.split("\0");
  const changes: TreeChange[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (changes.length >= maxChanges) throw new TooManyChangesError(maxChanges);
    const meta = fields[i] ?? "";
    const path = fields[i + 1] ?? "";
    const match = /^:(\d{6}) (\d{6}) ([0-9a-f]+) ([0-9a-f]+) ([A-Z])\d*$/.exec(meta);
    if (!match) throw new Error(`unreadable git diff-tree line: ${JSON.stringify(meta)}`);
    const [, srcMode = "", dstMode = "", srcSha = "", dstSha = "", status = ""] = match;
    changes.push({ path, status, srcMode, dstMode, srcSha, dstSha });
  }
  return changes;
}
