import type { LeftOutFile } from "./left-out-file.js";
import { maxBlobBytes } from "./open-sandbox-blobs.js";
import type { TreeChange } from "./parse-diff-tree.js";

/**
 * Moves the changes whose new blob is over what GitHub takes (by the size git reported
 * to `readSandboxCommit`) from `pushed` to `leftOut` as `too-large`: the push goes on
 * without them, and no byte of them is read. `commitInSandbox` already leaves such files
 * unstaged, but that check runs in the sandbox, where the agent's code runs too.
 */
export function leaveOutOversizedFiles(chosen: { pushed: TreeChange[]; leftOut: LeftOutFile[] }): {
  pushed: TreeChange[];
  leftOut: LeftOutFile[];
} {
  const pushed: TreeChange[] = [];
  const leftOut = [...chosen.leftOut];
  for (const change of chosen.pushed) {
    if (change.status !== "D" && (change.dstSize ?? 0) > maxBlobBytes)
      leftOut.push({ path: change.path, why: "too-large" });
    else pushed.push(change);
  }
  return { pushed, leftOut };
}
