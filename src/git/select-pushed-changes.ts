import { minimatch } from "minimatch";
import type { LeftOutFile } from "./left-out-file.js";
import type { TreeChange } from "./parse-diff-tree.js";

/** Always protected, whatever the repository says: CI, actions, CODEOWNERS, Ship's own config. */
const defaultProtectedPaths = [".github"];

const workflows = /^\.github\/workflows(\/|$)/i;
const underGithub = /^\.github(\/|$)/i;
const symlinkMode = "120000";

/**
 * Splits a commit's changes, as Ship parsed them from `git diff-tree`, into what Ship
 * pushes and what it leaves out. This runs outside the sandbox on Ship's own reading of
 * the commit, so nothing the agent runs (hooks, filters, a changed login profile) can
 * change the answer. Renames come as a deletion plus an addition, so moving a workflow
 * out of `.github/workflows/` is a workflow deletion and stays out too.
 *
 * A path is protected when it, or any folder above it, matches `.github` or one of the
 * repository's `protectedPaths` globs (in any letter case: checkouts on macOS and Windows
 * fold it). Links under `.github/` count as workflows, since a linked folder could bring
 * one in.
 */
export function selectPushedChanges(
  changes: readonly TreeChange[],
  protectedPaths: readonly string[] = [],
): { pushed: TreeChange[]; leftOut: LeftOutFile[] } {
  const globs = [...defaultProtectedPaths, ...protectedPaths];
  const pushed: TreeChange[] = [];
  const leftOut: LeftOutFile[] = [];
  for (const change of changes) {
    const why = reasonToLeaveOut(change, globs);
    if (why) leftOut.push({ path: change.path, why });
    else pushed.push(change);
  }
  return { pushed, leftOut };
}

function reasonToLeaveOut(
  change: TreeChange,
  globs: readonly string[],
): LeftOutFile["why"] | undefined {
  const { path } = change;
  if (workflows.test(path)) return "workflow";
  const isLink = change.srcMode === symlinkMode || change.dstMode === symlinkMode;
  if (isLink && underGithub.test(path)) return "workflow";
  const parts = path.split("/");
  const prefixes = parts.map((_, index) => parts.slice(0, index + 1).join("/"));
  const matches = (prefix: string) =>
    globs.some((glob) => minimatch(prefix, glob, { dot: true, nocase: true }));
  return prefixes.some(matches) ? "protected" : undefined;
}
