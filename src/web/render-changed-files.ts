import type { RunDiff } from "./create-run-diff-reader.js";
import { escapeHtml } from "./escape-html.js";

/** Characters of one file's patch shown on the page; the rest is on the PR. */
export const maxPatchChars = 10_000;
/**
 * Characters of all patches on one page together: the summary carrying them is sent
 * again over the live log whenever it changes, so it stays small.
 */
export const maxDiffChars = 60_000;

/**
 * The run's changed files: with the branch's diff, each file's +/- counts and its patch
 * in a collapsed `<details>` (escaped, capped: "diff too long, see the PR"); without it
 * (nothing pushed yet, or GitHub did not answer), the names the run recorded. Each file
 * has a stable id so the live page can keep open files open when it redraws.
 */
export function renderChangedFiles(params: {
  /** Files the run recorded as changed. */
  files: string[];
  diff?: RunDiff;
  /** Where the whole diff is: the PR's Files tab, else GitHub's comparison. */
  moreUrl?: string;
}): string {
  const { diff } = params;
  if (!diff || diff.files.length === 0) {
    if (params.files.length === 0) return "";
    return `<h2>Changed files</h2><ul class="files">${params.files
      .map((file) => `<li><div class="plain"><code>${escapeHtml(file)}</code></div></li>`)
      .join("")}</ul>`;
  }
  const moreUrl = params.moreUrl ?? diff.htmlUrl;
  const more = `<a href="${escapeHtml(moreUrl)}">see the PR</a>`;
  let budget = maxDiffChars;
  const added = diff.files.reduce((sum, file) => sum + file.additions, 0);
  const deleted = diff.files.reduce((sum, file) => sum + file.deletions, 0);
  const items = diff.files.map((file, index) => {
    const name = file.previousFilename
      ? `<code>${escapeHtml(file.previousFilename)}</code> → <code>${escapeHtml(file.filename)}</code>`
      : `<code>${escapeHtml(file.filename)}</code>`;
    const counts = `<span class="add" aria-label="${file.additions} added">+${file.additions}</span> <span class="del" aria-label="${file.deletions} removed">−${file.deletions}</span>`;
    let content: string;
    if (file.patch === undefined) {
      content = `<p class="note">No diff to show (a binary file, or too large for GitHub to show here); ${more}.</p>`;
    } else {
      const cap = Math.min(maxPatchChars, budget);
      const long = file.patch.length > cap;
      // Cut at a line's end, so no half line reads as a change.
      const cut = file.patch.lastIndexOf("\n", Math.max(0, cap));
      const shown = long ? file.patch.slice(0, Math.max(0, cut)) : file.patch;
      budget -= shown.length;
      content = `${shown ? `<pre class="diff">${renderPatch(shown)}</pre>` : ""}${
        long ? `<p class="note">Diff too long, ${more}.</p>` : ""
      }`;
    }
    return `<li><details id="file-${index}"><summary>${name} ${counts}</summary>${content}</details></li>`;
  });
  return `<h2>Changed files</h2><p class="diffstat">${diff.files.length} ${
    diff.files.length === 1 ? "file" : "files"
  }, <span class="add">+${added}</span> <span class="del">−${deleted}</span></p><ul class="files">${items.join("")}</ul>`;
}

/** Each line of a patch, marked as added, deleted or a hunk header for colour. */
function renderPatch(patch: string): string {
  return patch
    .split("\n")
    .map((line) => {
      const kind = line.startsWith("+")
        ? ' class="a"'
        : line.startsWith("-")
          ? ' class="d"'
          : line.startsWith("@@")
            ? ' class="h"'
            : "";
      return `<span${kind}>${escapeHtml(line) || " "}</span>`;
    })
    .join("");
}
