import { readFileSync } from "node:fs";
import { describe, expect, it } from "@jest/globals";
import { repoConfigSchema } from "../../src/config/repo-config-schema.js";

describe("docs/repo-config.md", () => {
  it("documents every key `.github/ship.yml` accepts, and no other", () => {
    const doc = readFileSync("docs/repo-config.md", "utf8");
    const documented = [...doc.matchAll(/^\| `([A-Za-z]+)` \|/gm)].map((match) => match[1]);
    expect(documented.sort()).toEqual(Object.keys(repoConfigSchema.shape).sort());
  });
});
