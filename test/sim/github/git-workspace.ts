import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

/** A scratch directory for running the real `git` client against the fake. */
export interface GitWorkspace {
  dir: string;
  /** Runs git; rejects with git's stderr when it fails. */
  git(args: string[], cwd?: string): Promise<string>;
  /** Runs git and reports how it ended instead of rejecting. */
  tryGit(args: string[], cwd?: string): Promise<{ code: number; stderr: string }>;
  /** Writes a file, commits it and returns the commit sha. */
  commitFile(repoDir: string, file: string, content: string, message: string): Promise<string>;
  remove(): Promise<void>;
}

/**
 * A temporary directory with its own HOME: git runs as an async child process (never
 * synchronously: the fake serves git from this same process) without prompting.
 */
export async function createGitWorkspace(): Promise<GitWorkspace> {
  const dir = await mkdtemp(path.join(tmpdir(), "fake-github-git-"));
  const env = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: dir,
    GIT_TERMINAL_PROMPT: "0",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_AUTHOR_NAME: "Test Author",
    GIT_AUTHOR_EMAIL: "author@example.com",
    GIT_COMMITTER_NAME: "Test Author",
    GIT_COMMITTER_EMAIL: "author@example.com",
  };
  const tryGit = (args: string[], cwd = dir) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile("git", args, { cwd, env }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  const git = async (args: string[], cwd?: string) => {
    const result = await tryGit(args, cwd);
    if (result.code !== 0) throw new Error(`git ${args.join(" ")} failed: ${result.stderr}`);
    return result.stdout.trim();
  };
  return {
    dir,
    git,
    tryGit: async (args, cwd) => {
      const { code, stderr } = await tryGit(args, cwd);
      return { code, stderr };
    },
    async commitFile(repoDir, file, content, message) {
      await writeFile(path.join(repoDir, file), content);
      await git(["add", file], repoDir);
      await git(["commit", "-q", "-m", message], repoDir);
      return git(["rev-parse", "HEAD"], repoDir);
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
