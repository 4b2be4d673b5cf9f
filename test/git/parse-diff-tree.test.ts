import { parseDiffTree } from "../../src/git/parse-diff-tree.js";

const a = "a".repeat(40);
const b = "b".repeat(40);
const zero = "0".repeat(40);

describe("parseDiffTree", () => {
  it("reads -z records with paths holding newlines, tabs and quotes verbatim", () => {
    const output = [
      `:000000 100644 ${zero} ${a} A`,
      '"odd\nname\there.txt',
      `:100644 100755 ${a} ${a} M`,
      "bin/run.sh",
      `:100644 000000 ${b} ${zero} D`,
      "it's gone",
      "",
    ].join("\0");
    expect(parseDiffTree(output)).toEqual([
      {
        path: '"odd\nname\there.txt',
        status: "A",
        srcMode: "000000",
        dstMode: "100644",
        srcSha: zero,
        dstSha: a,
      },
      {
        path: "bin/run.sh",
        status: "M",
        srcMode: "100644",
        dstMode: "100755",
        srcSha: a,
        dstSha: a,
      },
      {
        path: "it's gone",
        status: "D",
        srcMode: "100644",
        dstMode: "000000",
        srcSha: b,
        dstSha: zero,
      },
    ]);
    expect(parseDiffTree("")).toEqual([]);
  });
});
