import type { TreeChange } from "../../src/git/parse-diff-tree.js";
import { selectPushedChanges } from "../../src/git/select-pushed-changes.js";

const a = "a".repeat(40);
const zero = "0".repeat(40);

const added = (path: string, mode = "100644"): TreeChange => ({
  path,
  status: "A",
  srcMode: "000000",
  dstMode: mode,
  srcSha: zero,
  dstSha: a,
});
const deleted = (path: string, mode = "100644"): TreeChange => ({
  path,
  status: "D",
  srcMode: mode,
  dstMode: "000000",
  srcSha: a,
  dstSha: zero,
});

/** What Ship leaves out of these changes, as `path: why`. */
function leftOut(changes: TreeChange[], globs?: string[]): string[] {
  return selectPushedChanges(changes, globs).leftOut.map((file) => `${file.path}: ${file.why}`);
}

describe("selectPushedChanges", () => {
  it("keeps a workflow's deletion out when the agent moves it out of .github/workflows", () => {
    // `git mv .github/workflows/ci.yml x`, as `diff-tree --no-renames` reads it.
    const { pushed, leftOut: out } = selectPushedChanges([
      deleted(".github/workflows/ci.yml"),
      added("x"),
    ]);
    expect(pushed.map((change) => change.path)).toEqual(["x"]);
    expect(out).toEqual([{ path: ".github/workflows/ci.yml", why: "workflow" }]);
  });

  it("leaves workflows out in any letter case, and the folder itself", () => {
    expect(
      leftOut([
        added(".GitHub/Workflows/pwn.yml"),
        added(".GITHUB/WORKFLOWS"),
        added(".github/workflows/deep/er.yaml"),
      ]),
    ).toEqual([
      ".GitHub/Workflows/pwn.yml: workflow",
      ".GITHUB/WORKFLOWS: workflow",
      ".github/workflows/deep/er.yaml: workflow",
    ]);
  });

  it("treats a link under .github as a workflow, and .github itself as a link", () => {
    expect(
      leftOut([
        deleted(".github/workflows/ci.yml"),
        added(".github/workflows", "120000"),
        added(".github/actions", "120000"),
        added(".github", "120000"),
        added("docs/link", "120000"),
      ]),
    ).toEqual([
      ".github/workflows/ci.yml: workflow",
      ".github/workflows: workflow",
      ".github/actions: workflow",
      ".github: workflow",
    ]);
  });

  it("protects the rest of .github by default, and nothing outside it", () => {
    const changes = [
      added(".github/actions/setup/action.yml"),
      added(".github/CODEOWNERS"),
      added(".github/ship.yml"),
      added(".githubx/notes.md"),
      added("src/.github.js"),
      added("README.md"),
    ];
    expect(leftOut(changes)).toEqual([
      ".github/actions/setup/action.yml: protected",
      ".github/CODEOWNERS: protected",
      ".github/ship.yml: protected",
    ]);
    expect(selectPushedChanges(changes).pushed.map((change) => change.path)).toEqual([
      ".githubx/notes.md",
      "src/.github.js",
      "README.md",
    ]);
  });

  it("protects a repository's own globs, in any case, with the folders they name", () => {
    const globs = ["package.json", "scripts/**", "**/Makefile", "infra", "*.sh"];
    expect(
      leftOut(
        [
          added("package.json"),
          added("lib/package.json"),
          added("Scripts/ci.js"),
          added("scripts/deep/er.js"),
          added("Makefile"),
          added("tools/makefile"),
          deleted("infra/main.tf"),
          added("run.sh"),
          added("bin/run.sh"),
          added(".env.sh"),
          added("src/index.js"),
        ],
        globs,
      ),
    ).toEqual([
      "package.json: protected",
      "Scripts/ci.js: protected",
      "scripts/deep/er.js: protected",
      "Makefile: protected",
      "tools/makefile: protected",
      "infra/main.tf: protected",
      "run.sh: protected",
      ".env.sh: protected",
    ]);
  });
});
