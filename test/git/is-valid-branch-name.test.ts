import { execFile } from "node:child_process";
import { promisify } from "node:util";
import fc from "fast-check";
import { isValidBranchName } from "../../src/git/is-valid-branch-name.js";

const run = promisify(execFile);

/** git's own verdict on a branch name. */
async function gitAccepts(name: string): Promise<boolean> {
  try {
    await run("git", ["check-ref-format", "--branch", name]);
    return true;
  } catch {
    return false;
  }
}

describe("isValidBranchName", () => {
  it.each(["ship/add-readme-12", "fix/login_timeout", "v1.2.3", "a", "release/2026.11"])(
    "accepts %s",
    (name) => {
      expect(isValidBranchName(name)).toBe(true);
    },
  );

  it.each([
    "",
    "-x",
    "/x",
    "x/",
    "x.",
    "a..b",
    "a//b",
    ".hidden",
    "a/.b",
    "x.lock",
    "a/b.lock/c",
    "HEAD",
    "@",
    "a b",
    "a~1",
    "a^",
    "a:b",
    "a?",
    "a*",
    "a[",
    "a\\b",
    "a@{1}",
    "$(id)",
    "a;b",
    "é",
    "x".repeat(201),
  ])("refuses %j", (name) => {
    expect(isValidBranchName(name)).toBe(false);
  });

  it("never accepts a name git refuses", async () => {
    const names = fc.sample(fc.stringMatching(/^[A-Za-z0-9._/@{}~^:-]{1,12}$/), {
      numRuns: 300,
      seed: 42,
    });
    for (const name of names) {
      if (isValidBranchName(name)) expect([name, await gitAccepts(name)]).toEqual([name, true]);
    }
  });
});
