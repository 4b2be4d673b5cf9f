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
}

/**
 * Parses `git diff-tree -r -z --raw --no-renames` output: `:srcMode dstMode srcSha
 * dstSha status\0path\0` per change. `-z` keeps paths verbatim (spaces, quotes,
 * newlines), where the default output would quote and escape them.
 */
export function parseDiffTree(output: string): TreeChange[] {
  const fields = output.split("\0");
  const changes: TreeChange[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const meta = fields[i] ?? "";
    const path = fields[i + 1] ?? "";
    const match = /^:(\d{6}) (\d{6}) ([0-9a-f]+) ([0-9a-f]+) ([A-Z])\d*$/.exec(meta);
    if (!match) throw new Error(`unreadable git diff-tree line: ${JSON.stringify(meta)}`);
    const [, srcMode = "", dstMode = "", srcSha = "", dstSha = "", status = ""] = match;
    changes.push({ path, status, srcMode, dstMode, srcSha, dstSha });
  }
  return changes;
}
