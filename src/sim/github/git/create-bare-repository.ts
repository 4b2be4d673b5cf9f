import { mkdir } from "node:fs/promises";
import { runGit } from "./run-git.js";

/**
 * Creates a bare git repository with one commit on `branch` holding `files`, in two git
 * processes (`init`, then `fast-import` for all objects at once). Returns the commit.
 */
export async function createBareRepository(params: {
  gitDir: string;
  home: string;
  branch: string;
  files: Record<string, string>;
  author: { name: string; email: string };
  message: string;
  /** Seconds since the epoch. */
  time: number;
}): Promise<string> {
  const { gitDir, home, branch } = params;
  await mkdir(gitDir, { recursive: true });
  await runGit(["init", "--bare", "--quiet", `--initial-branch=${branch}`, gitDir], { home });
  const signature = `${params.author.name} <${params.author.email}> ${params.time} +0000`;
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  let stream = `commit refs/heads/${branch}\nmark :1\nauthor ${signature}\ncommitter ${signature}\n${data(params.message)}`;
  for (const [file, content] of Object.entries(params.files)) {
    stream += `M 100644 inline ${file}\n${data(content)}`;
  }
  stream += "\nget-mark :1\n";
  const result = await runGit(["fast-import", "--quiet", "--done"], {
    home,
    gitDir,
    input: `${stream}done\n`,
  });
  const sha = result.stdout.toString("utf8").trim();
  if (!/^[0-9a-f]{40}$/.test(sha)) throw new Error(`fast-import gave no commit: ${sha}`);
  return sha;
}
