import { describe, expect, it } from "@jest/globals";
import {
  maxDiffChars,
  maxPatchChars,
  renderChangedFiles,
} from "../../src/web/render-changed-files.js";

const htmlUrl = "https://github.example/o/r/compare/a...b";

describe("renderChangedFiles", () => {
  it("cuts a long patch and says where the rest is", () => {
    const patch = `@@ -0,0 +1 @@\n${"+x\n".repeat(maxPatchChars)}`;
    const html = renderChangedFiles({
      files: ["big.txt"],
      diff: {
        htmlUrl,
        files: [{ filename: "big.txt", status: "added", additions: 1, deletions: 0, patch }],
      },
      moreUrl: "https://pr/1/files",
    });
    expect(html).toContain('Diff too long, <a href="https://pr/1/files">see the PR</a>.');
    // Whole lines only, no more than the cap.
    const lines = [...html.matchAll(/<span class="a">\+x<\/span>/g)].length;
    expect(lines * 3).toBeLessThanOrEqual(maxPatchChars);
    expect(lines).toBeGreaterThan(maxPatchChars / 3 - 10);
  });

  it("keeps all patches of a page under one cap together", () => {
    const patch = "+y\n".repeat(maxPatchChars / 3 - 1);
    const files = Array.from({ length: 30 }, (_, index) => ({
      filename: `f${index}.txt`,
      status: "added",
      additions: 1,
      deletions: 0,
      patch,
    }));
    const html = renderChangedFiles({ files: [], diff: { htmlUrl, files } });
    const shown = [...html.matchAll(/<span class="a">\+y<\/span>/g)].length * 3;
    expect(shown).toBeLessThanOrEqual(maxDiffChars);
    // Every file is still listed with its counts, the late ones without their patch.
    expect(html).toContain("<code>f29.txt</code>");
    expect(html).toContain(`<a href="${htmlUrl}">see the PR</a>`);
  });

  it("names a renamed file by both names, and lists the recorded names without a diff", () => {
    const html = renderChangedFiles({
      files: [],
      diff: {
        htmlUrl,
        files: [
          {
            filename: "b.md",
            previousFilename: "a.md",
            status: "renamed",
            additions: 0,
            deletions: 0,
            patch: "",
          },
        ],
      },
    });
    expect(html).toContain("<code>a.md</code> → <code>b.md</code>");
    expect(renderChangedFiles({ files: [] })).toBe("");
    expect(renderChangedFiles({ files: ["<x>"] })).toContain("<code>&#60;x&#62;</code>");
  });
});
