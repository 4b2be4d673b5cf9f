import type { DebianPackage } from "../../../../src/sim/sandbox/templates/read-debian-packages.js";
import { resolvePackageClosure } from "../../../../src/sim/sandbox/templates/resolve-package-closure.js";

const pkg = (name: string, fields: Partial<DebianPackage> = {}): DebianPackage => ({
  name,
  version: "1",
  essential: false,
  depends: [],
  provides: [],
  ...fields,
});

const installed = new Map(
  [
    pkg("bash", { essential: true, depends: [["libc6"]] }),
    pkg("libc6"),
    pkg("git", { depends: [["libc6"], ["perl"], ["less", "pager"]] }),
    pkg("perl", { depends: [["perl-base"]] }),
    pkg("perl-base", { essential: true }),
    pkg("more-pager", { provides: ["pager"] }),
    pkg("gcc", { depends: [["libc6"]] }),
  ].map((p) => [p.name, p]),
);

describe("resolvePackageClosure", () => {
  it("takes what is wanted, its dependencies and the essential set, and nothing else", () => {
    const { packages, missing } = resolvePackageClosure(installed, ["git"]);
    expect(packages.map((p) => p.name)).toEqual([
      "bash",
      "git",
      "libc6",
      "more-pager",
      "perl",
      "perl-base",
    ]);
    expect(missing).toEqual([]);
  });

  it("meets an alternative or a virtual package with the first installed provider", () => {
    const names = resolvePackageClosure(installed, ["pager"]).packages.map((p) => p.name);
    expect(names).toContain("more-pager");
    expect(names).not.toContain("gcc");
  });

  it("names what this machine does not have", () => {
    expect(resolvePackageClosure(installed, ["ripgrep", "git"]).missing).toEqual(["ripgrep"]);
  });
});
