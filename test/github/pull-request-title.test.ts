import { pullRequestTitle } from "../../src/github/pull-request-title.js";

describe("pullRequestTitle", () => {
  it("is the first line, capitalized", () => {
    expect(pullRequestTitle("add a README\n\nwith a usage section")).toBe("Add a README");
    expect(pullRequestTitle("  ")).toBe("Changes by Ship");
  });

  it("cuts long lines at 72 characters", () => {
    const title = pullRequestTitle("x".repeat(100));
    expect(title).toHaveLength(72);
    expect(title.endsWith("…")).toBe(true);
  });

  it("says [WIP] while Ship is at work", () => {
    expect(pullRequestTitle("add a README", { inProgress: true })).toBe("[WIP] Add a README");
  });

  it("is a labeled issue's own title, not a prefix of Ship's", () => {
    expect(pullRequestTitle("Add an MIT license", { untrusted: true })).toBe("Add an MIT license");
  });

  it("defangs an issue's title: a squash merge would make it a commit message", () => {
    const title = pullRequestTitle("fixes #3 for @alice, see https://evil.example", {
      untrusted: true,
    });
    expect(title).not.toMatch(/fixes #3/i);
    expect(title).not.toContain("@alice");
    expect(title).not.toContain("https://evil");
    // Invisible joiners only: it still reads the same.
    expect(title.replaceAll("\u200D", "")).toBe("Fixes #3 for @alice, see `https://evil.example`");
  });
});
