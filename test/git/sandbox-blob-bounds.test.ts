import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gitBlobSha } from "../../src/git/git-blob-sha.js";
import type { GitDataOctokit } from "../../src/git/git-data-octokit.js";
import { leaveOutOversizedFiles } from "../../src/git/leave-out-oversized-files.js";
import { maxBlobBytes, openSandboxBlobs } from "../../src/git/open-sandbox-blobs.js";
import { maxChangedPaths } from "../../src/git/parse-diff-tree.js";
import { PushError } from "../../src/git/push-error.js";
import { readSandboxCommit } from "../../src/git/read-sandbox-commit.js";
import { uploadSandboxBlobs } from "../../src/git/upload-sandbox-blobs.js";
import { bashSandbox } from "../helpers/bash-sandbox.js";

/**
 * A hostile agent's clone, driven through a `bash -c` sandbox stand-in: git runs there,
 * and Ship's code reads the answers as it would from e2b.
 */
const root = mkdtempSync(path.join(tmpdir(), "ship-blob-bounds-"));
const repo = path.join(root, "repo");
const scratch = path.join(root, "tmp");
const git = (...args: string[]) =>
  execFileSync("git", ["-C", repo, ...args], {
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "Agent",
      GIT_AUTHOR_EMAIL: "agent@example.com",
      GIT_COMMITTER_NAME: "Agent",
      GIT_COMMITTER_EMAIL: "agent@example.com",
    },
    maxBuffer: 64 * 1024 * 1024,
  }).trim();
// mktemp -t puts the export directory here, where the test can swap a file.
const sandbox = bashSandbox({ TMPDIR: scratch });
let base: string;
let head: string;
let bigSha: string;
let smallSha: string;

beforeAll(() => {
  execFileSync("mkdir", ["-p", repo, scratch]);
  git("init", "-q", "-b", "main");
  writeFileSync(path.join(repo, "README.md"), "hello\n");
  git("add", "-A");
  git("commit", "-q", "-m", "base");
  base = git("rev-parse", "HEAD");
  // 500 MB of zeros: a few hundred KB in git's store, far over GitHub's limit once read.
  execFileSync("bash", ["-c", `head -c 500000000 /dev/zero > ${repo}/huge.bin`]);
  writeFileSync(path.join(repo, "small.txt"), "small\n");
  git("add", "-A");
  git("commit", "-q", "-m", "a huge file and a small one");
  head = git("rev-parse", "HEAD");
  bigSha = git("rev-parse", "HEAD:huge.bin");
  smallSha = git("rev-parse", "HEAD:small.txt");
}, 120_000);

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe("blobs from the sandbox", () => {
  it("leaves a 500 MB file out as too-large, from the size git gave Ship, reading none of it", async () => {
    const rss = process.memoryUsage().rss;
    const commit = await readSandboxCommit({ sandbox, repoDir: repo, sha: head, parent: base });
    const huge = commit.changes.find((change) => change.path === "huge.bin");
    expect(huge?.dstSize).toBe(500_000_000);
    const chosen = leaveOutOversizedFiles({ pushed: commit.changes, leftOut: [] });
    expect(chosen.leftOut).toEqual([{ path: "huge.bin", why: "too-large" }]);
    expect(chosen.pushed.map((change) => change.path)).toEqual(["small.txt"]);
    // Asked to export it anyway, Ship refuses before copying a byte.
    const blobs = openSandboxBlobs({ sandbox, repoDir: repo });
    try {
      await expect(blobs.export([bigSha])).rejects.toThrow(
        new RegExp(`is 500000000 bytes, over the ${maxBlobBytes}`),
      );
    } finally {
      await blobs.close();
    }
    expect(process.memoryUsage().rss - rss).toBeLessThan(100 * 1024 * 1024);
  }, 60_000);

  it("stops reading an exported file the sandbox swapped for a bigger one", async () => {
    const blobs = openSandboxBlobs({ sandbox, repoDir: repo });
    try {
      await blobs.export([smallSha]);
      expect(blobs.size(smallSha)).toBe(6);
      expect(Buffer.from(await blobs.read(smallSha)).toString()).toBe("small\n");
      const [dir] = readdirSync(scratch).filter((name) => name.startsWith("ship-push."));
      execFileSync("bash", [
        "-c",
        `head -c 300000000 /dev/zero > ${path.join(scratch, dir ?? "", smallSha)}`,
      ]);
      const rss = process.memoryUsage().rss;
      const read = blobs.read(smallSha);
      await expect(read).rejects.toBeInstanceOf(PushError);
      await expect(read).rejects.toThrow(/longer than the 6 bytes git said/);
      expect(process.memoryUsage().rss - rss).toBeLessThan(100 * 1024 * 1024);
    } finally {
      await blobs.close();
    }
  });

  it("refuses a commit of more than 10,000 paths with a clear push error", async () => {
    mkdirSync(path.join(repo, "many"));
    for (let i = 1; i <= maxChangedPaths + 1; i++)
      writeFileSync(path.join(repo, "many", `f${i}`), `${i}\n`);
    git("add", "many");
    git("commit", "-q", "-m", "too many files");
    const many = git("rev-parse", "HEAD");
    const reading = readSandboxCommit({ sandbox, repoDir: repo, sha: many, parent: head });
    await expect(reading).rejects.toBeInstanceOf(PushError);
    await expect(reading).rejects.toThrow(
      /changes more than 10000 files; Ship pushes at most 10000 per commit/,
    );
  }, 60_000);

  it("uploads at most 128 MiB of blobs at once (three 45 MiB blobs never together), up to four at a time", async () => {
    const sizes = [1, 1, 1, 1, 45, 45, 45].map((mib, i) => mib * 1024 * 1024 + i);
    const shas = sizes.map((size, i) => {
      const file = path.join(repo, `upload-${i}.bin`);
      execFileSync("bash", ["-c", `head -c ${size} /dev/zero > ${file}`]);
      return git("hash-object", "-w", file);
    });
    let held = 0;
    let most = 0;
    let inFlight = 0;
    let mostInFlight = 0;
    const octokit = {
      rest: {
        git: {
          createBlob: async ({ content }: { content: string }) => {
            const bytes = Buffer.from(content, "base64");
            held += bytes.length;
            inFlight++;
            most = Math.max(most, held);
            mostInFlight = Math.max(mostInFlight, inFlight);
            await new Promise((resolve) => setTimeout(resolve, 50));
            held -= bytes.length;
            inFlight--;
            return { data: { sha: gitBlobSha(bytes) } };
          },
        },
      },
    } as unknown as GitDataOctokit;
    const blobs = openSandboxBlobs({ sandbox, repoDir: repo });
    try {
      await blobs.export(shas);
      await uploadSandboxBlobs({ octokit, owner: "o", repo: "r", blobs, shas });
    } finally {
      await blobs.close();
    }
    expect(most).toBeLessThanOrEqual(128 * 1024 * 1024);
    expect(most).toBeGreaterThan(45 * 1024 * 1024);
    expect(mostInFlight).toBeGreaterThanOrEqual(2);
    expect(mostInFlight).toBeLessThanOrEqual(4);
  }, 60_000);
});
