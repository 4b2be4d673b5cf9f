import type { GitDataOctokit } from "./git-data-octokit.js";
import type { SandboxBlobs } from "./open-sandbox-blobs.js";
import { PushError } from "./push-error.js";
import { toPushError } from "./to-push-error.js";

// A few uploads in flight hide the round trips without tripping GitHub's secondary
// rate limit on concurrent writes; each holds one blob (up to GitHub's 100 MB) in memory.
const concurrency = 4;
/**
 * Blob bytes held at once (each also as base64 while it is sent): a blob bigger than
 * this goes alone, so four 100 MB blobs never sit in memory together.
 */
const bytesInFlight = 128 * 1024 * 1024;

/**
 * Creates these blobs on GitHub from the sandbox's exported copies, `concurrency` at a
 * time and at most `bytesInFlight` of them (by the size git gave at export) at once (read,
 * base64, `git.createBlob`), and checks GitHub named each as git did.
 */
export async function uploadSandboxBlobs(params: {
  octokit: GitDataOctokit;
  owner: string;
  repo: string;
  blobs: SandboxBlobs;
  shas: readonly string[];
  signal?: AbortSignal;
}): Promise<void> {
  const { octokit, owner, repo, blobs, signal } = params;
  const queue = [...params.shas];
  let held = 0;
  const waiting: Array<() => void> = [];
  const reserve = async (size: number) => {
    while (held > 0 && held + size > bytesInFlight) {
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
    held += size;
  };
  const release = (size: number) => {
    held -= size;
    for (const wake of waiting.splice(0)) wake();
  };
  const upload = async (sha: string) => {
    const size = blobs.size(sha) ?? 0;
    await reserve(size);
    try {
      await send(sha);
    } finally {
      release(size);
    }
  };
  const send = async (sha: string) => {
    const bytes = await blobs.read(sha);
    let created: string;
    try {
      const { data } = await octokit.rest.git.createBlob({
        owner,
        repo,
        content: Buffer.from(bytes).toString("base64"),
        encoding: "base64",
        ...(signal ? { request: { signal } } : {}),
      });
      created = data.sha;
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw toPushError(error, { doing: "upload a file", repository: `${owner}/${repo}` });
    }
    if (created !== sha) {
      throw new PushError({
        kind: "corrupt",
        message: `GitHub stored a file as blob ${created.slice(0, 7)}, not ${sha.slice(0, 7)} as git in the sandbox did.`,
      });
    }
  };
  const worker = async () => {
    try {
      for (let sha = queue.shift(); sha !== undefined; sha = queue.shift()) await upload(sha);
    } catch (error) {
      queue.length = 0; // the push has failed: the other workers stop after their upload
      throw error;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
}
