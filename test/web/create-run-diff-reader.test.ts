import { describe, expect, it } from "@jest/globals";
import { pino } from "pino";
import type { GitHubApp } from "../../src/github/create-github-app.js";
import type { Run } from "../../src/runs/run.js";
import { createRunDiffReader } from "../../src/web/create-run-diff-reader.js";

/** A GitHub whose compare answers name the range asked for, and counts the calls. */
function fakeGitHub(fail = () => false) {
  const calls: string[] = [];
  const github = {
    installation: async () => ({
      request: async (
        _route: string,
        params: { owner: string; repo: string; basehead: string },
      ) => {
        calls.push(`${params.owner}/${params.repo} ${params.basehead}`);
        if (fail()) throw Object.assign(new Error("Bad gateway"), { status: 502 });
        return {
          data: {
            html_url: `https://github.example/${params.owner}/${params.repo}/compare/${params.basehead}`,
            files: [
              {
                filename: "README.md",
                status: "added",
                additions: 2,
                deletions: 0,
                patch: "+a\n+b",
              },
            ],
          },
        };
      },
    }),
  } as unknown as GitHubApp;
  return { github, calls };
}
const run = (head: string | null, repositoryId = 7) =>
  ({
    id: 1,
    installationId: 3,
    repositoryId,
    repository: "octo/hello",
    baseSha: "base",
    headSha: head,
  }) as Run;
const log = pino({ level: "silent" });

describe("createRunDiffReader", () => {
  it("asks GitHub once per head commit, and again after a push", async () => {
    const { github, calls } = fakeGitHub();
    const read = createRunDiffReader({ github, log });
    const first = await read(run("h1"));
    expect(first?.files[0]).toEqual({
      filename: "README.md",
      status: "added",
      additions: 2,
      deletions: 0,
      patch: "+a\n+b",
    });
    await read(run("h1"));
    await read(run("h1"));
    expect(calls).toEqual(["octo/hello base...h1"]);
    await read(run("h2"));
    expect(calls).toEqual(["octo/hello base...h1", "octo/hello base...h2"]);
  });

  it("shows nothing before the first push, without asking", async () => {
    const { github, calls } = fakeGitHub();
    const read = createRunDiffReader({ github, log });
    expect(await read(run(null))).toBeUndefined();
    expect(await read(run("base"))).toBeUndefined();
    expect(calls).toEqual([]);
  });

  it("keeps a bounded number, dropping the least recently used", async () => {
    const { github, calls } = fakeGitHub();
    const read = createRunDiffReader({ github, log, maxEntries: 2 });
    await read(run("a"));
    await read(run("b"));
    await read(run("a")); // used again: b is now the oldest
    await read(run("c"));
    await read(run("a"));
    expect(calls).toHaveLength(3);
    await read(run("b"));
    expect(calls).toHaveLength(4);
  });

  it("keeps a failure half a minute, then asks again", async () => {
    let failing = true;
    let clock = 0;
    const { github, calls } = fakeGitHub(() => failing);
    const read = createRunDiffReader({ github, log, now: () => clock });
    expect(await read(run("h"))).toBeUndefined();
    failing = false;
    clock = 29_000;
    expect(await read(run("h"))).toBeUndefined();
    expect(calls).toHaveLength(1);
    clock = 30_000;
    expect((await read(run("h")))?.files).toHaveLength(1);
    expect(calls).toHaveLength(2);
  });
});
