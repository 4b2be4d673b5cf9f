import { parse } from "yaml";
import { closestName } from "../../src/config/closest-name.js";
import { describeYamlError } from "../../src/config/describe-yaml-error.js";
import { formatDuration } from "../../src/config/format-duration.js";
import { repoConfigSchema } from "../../src/config/repo-config-schema.js";
import { runSettings } from "../../src/config/run-settings.js";

const keys = Object.keys(repoConfigSchema.shape);

/** The sentences a person fixing `.github/ship.yml` reads, piece by piece. */
describe(".github/ship.yml feedback", () => {
  it.each([
    ["modle", "model"],
    ["timout", "timeout"],
    ["Timeout", "timeout"],
    ["brnachPrefix", "branchPrefix"],
    ["setups", "setup"],
  ])("suggests %s → %s", (typo, meant) => {
    expect(closestName(typo, keys)).toBe(meant);
  });

  it.each(["foo", "x", "colour", "reviewers"])("suggests nothing unrelated for %s", (word) => {
    expect(closestName(word, keys)).toBeUndefined();
  });

  it("says where a YAML error is and what it is, in one sentence", () => {
    let error: unknown;
    try {
      parse("model: sim/x\n  draft: true\n");
    } catch (caught) {
      error = caught;
    }
    const text = describeYamlError("`.github/ship.yml`", error);
    expect(text).toBe(
      "`.github/ship.yml` is not valid YAML at line 1, column 8: nested mappings are not allowed in compact mappings.",
    );
  });

  it("writes durations as people do", () => {
    expect([7_200_000, 1_800_000, 90_000, 5_400_000].map(formatDuration)).toEqual([
      "2h",
      "30m",
      "90s",
      "90m",
    ]);
  });

  it("takes one setup string as one command", () => {
    expect(repoConfigSchema.parse({ setup: "npm ci" }).setup).toEqual(["npm ci"]);
    expect(repoConfigSchema.parse({ setup: ["npm ci", "npm test"] }).setup).toEqual([
      "npm ci",
      "npm test",
    ]);
  });

  it("caps a timeout above Ship's limit and says so; one within it is kept quietly", () => {
    const limits = { runTimeoutMs: 1_800_000 };
    expect(runSettings(repoConfigSchema.parse({ timeout: "2h" }), limits)).toEqual({
      timeoutMs: 1_800_000,
      notices: ["`timeout: 2h` is above Ship's 30m limit; using 30m."],
    });
    expect(runSettings(repoConfigSchema.parse({ timeout: "20m" }), limits)).toEqual({
      timeoutMs: 1_200_000,
    });
  });
});
