import { spawn } from "node:child_process";

/** What a finished git process left behind. */
export interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/**
 * Runs git as a child process, never synchronously: this process also serves git over
 * HTTP, and a blocked event loop would deadlock a git client talking to it. `home`
 * becomes HOME and system config is ignored, so nothing of the machine's leaks in.
 * Rejects on a non-zero exit unless `allowExitCodes` lists it.
 */
export function runGit(
  args: string[],
  options: {
    home: string;
    gitDir?: string;
    input?: string | Buffer;
    env?: Record<string, string>;
    allowExitCodes?: number[];
  },
): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, {
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: options.home,
        GIT_CONFIG_NOSYSTEM: "1",
        GIT_TERMINAL_PROMPT: "0",
        ...(options.gitDir ? { GIT_DIR: options.gitDir } : {}),
        ...options.env,
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const result = {
        code: code ?? -1,
        stdout: Buffer.concat(stdout),
        stderr: Buffer.concat(stderr).toString("utf8"),
      };
      if (result.code === 0 || options.allowExitCodes?.includes(result.code)) resolve(result);
      else
        reject(new Error(`git ${args.join(" ")} exited ${result.code}: ${result.stderr.trim()}`));
    });
    child.stdin.on("error", () => {}); // git may exit before reading all input
    child.stdin.end(options.input ?? "");
  });
}
