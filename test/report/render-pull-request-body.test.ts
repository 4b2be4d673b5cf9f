import { renderPullRequestBody } from "../../src/report/render-pull-request-body.js";

const base = {
  summary: "Added README.md with a usage section.",
  githubUrl: "https://github.com",
  threadNumber: 5,
  requester: "bob",
  task: "add a README",
  runUrl: "https://ship.example/runs/7",
};

describe("renderPullRequestBody", () => {
  it("closes the issue on merge and ends with how to ask for changes", () => {
    const body = renderPullRequestBody(base);
    expect(body).toContain("\nFixes #5\n");
    expect(body).not.toContain("Refs #");
    expect(body).toContain("Asked by @bob:\n\n> add a README");
    expect(body).toContain(
      "<sub>Opened as a draft by Ship · [run log](https://ship.example/runs/7).</sub>",
    );
    expect(body.endsWith("\nComment `/ship <instruction>` here to ask for changes.")).toBe(true);
  });

  it("only refers to the issue when the repository says `closeIssue: false`", () => {
    const body = renderPullRequestBody({ ...base, closeIssue: false });
    expect(body).toContain("\nRefs #5\n");
    expect(body).not.toMatch(/fixes #/i);
  });

  it("closes nothing when it follows up another pull request", () => {
    const closed = renderPullRequestBody({ ...base, followsUp: { number: 5, fork: false } });
    expect(closed).toContain("Follows up #5, which was already closed.");
    expect(closed).not.toMatch(/(fixes|refs) #/i);
    const fork = renderPullRequestBody({ ...base, followsUp: { number: 5, fork: true } });
    expect(fork).toContain("Follows up #5, whose branch is in a fork");
    expect(fork).not.toMatch(/(fixes|refs) #/i);
  });

  it("says who labeled the issue instead of quoting Ship's own task", () => {
    const body = renderPullRequestBody({
      ...base,
      task: "Resolve issue #5, whose title and description are below.",
      byLabel: true,
    });
    expect(body).toContain("Asked by @bob, who labeled #5 for Ship.");
    expect(body).not.toContain("> Resolve issue");
    expect(body).toContain("\nFixes #5\n");
  });

  it("does not call a ready pull request a draft", () => {
    const body = renderPullRequestBody({ ...base, draft: false });
    expect(body).toContain("<sub>Opened by Ship · [run log]");
    expect(body).not.toContain("draft");
  });

  it("keeps the agent's own closing keywords dead", () => {
    const body = renderPullRequestBody({ ...base, summary: "Fixes #3 too" });
    expect(body).not.toContain("Fixes #3");
    expect(body).toContain("\nFixes #5\n");
  });
});
