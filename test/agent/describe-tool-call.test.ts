import { describeToolCall } from "../../src/agent/describe-tool-call.js";

const repo = "/home/user/repo";

describe("describeToolCall", () => {
  it("names files relative to the repository, as code", () => {
    expect(describeToolCall("write", { filePath: `${repo}/README.md` }, repo)).toBe(
      "Writing `README.md`",
    );
    expect(describeToolCall("edit", { filePath: `${repo}/src/__init__.py` }, repo)).toBe(
      "Editing `src/__init__.py`",
    );
    expect(describeToolCall("read", { filePath: "/etc/hosts" }, repo)).toBe("Reading `/etc/hosts`");
    expect(describeToolCall("read", { filePath: `${repo}/node_modules/@types/x.d.ts` }, repo)).toBe(
      "Reading `node_modules/@types/x.d.ts`",
    );
  });

  it("quotes commands on one short line, whatever backticks they hold", () => {
    expect(describeToolCall("bash", { command: "npm test" }, repo)).toBe("Running `npm test`");
    expect(describeToolCall("bash", { command: "echo `date`\nls" }, repo)).toBe(
      "Running ``echo `date` ls``",
    );
    const long = describeToolCall("bash", { command: `echo ${"x".repeat(200)}` }, repo);
    expect(long.length).toBeLessThan(100);
    expect(long).toMatch(/…`$/);
  });

  it("describes searches, fetches, sub-agents, and tools it does not know", () => {
    expect(describeToolCall("grep", { pattern: "TODO" }, repo)).toBe(
      "Searching the code for `TODO`",
    );
    expect(describeToolCall("glob", { pattern: "**/*.ts" }, repo)).toBe(
      "Finding files matching `**/*.ts`",
    );
    expect(describeToolCall("webfetch", { url: "https://example.com" }, repo)).toBe(
      "Fetching `https://example.com`",
    );
    expect(describeToolCall("task", { description: "Find the bug" }, repo)).toBe(
      "Delegating to a sub-agent: `Find the bug`",
    );
    expect(describeToolCall("github_create_issue", {}, repo)).toBe("Using `github_create_issue`");
  });
});
