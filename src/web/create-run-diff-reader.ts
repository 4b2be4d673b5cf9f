import type { Logger } from "pino";
import type { GitHubApp } from "../github/create-github-app.js";
import type { Run } from "../runs/run.js";

/** One file of a branch's diff, as GitHub's compare API lists it. */
export interface ChangedFile {
  filename: string;
  status: string;
  additions: number;
  deletions: number;
  /** The unified diff's hunks; absent for binary files and diffs GitHub finds too large. */
  patch?: string;
  previousFilename?: string;
}

/** What the run's branch changes against its base, at the run's latest pushed commit. */
export interface RunDiff {
  files: ChangedFile[];
  /** GitHub's page of the same comparison. */
  htmlUrl: string;
}

/** The run's diff, or undefined when nothing was pushed yet or GitHub could not say. */
export type ReadRunDiff = (run: Run) => Promise<RunDiff | undefined>;

/** Comparisons kept in memory; a branch's comparison never changes for one head. */
export const diffCacheSize = 200;

/**
 * Reads a run's diff from GitHub's compare API (`base...head`, the run's recorded commits)
 * with the installation's client, never from the sandbox: the page shows what GitHub has.
 * Kept per (repository, base, head) in a bounded least-recently-used map, so a page
 * polled every second asks GitHub once per push. A failure is kept `retryAfterMs` (30 s),
 * so a GitHub outage costs one call per half minute, not one per poll.
 */
export function createRunDiffReader(params: {
  github: GitHubApp;
  log: Logger;
  maxEntries?: number;
  retryAfterMs?: number;
  now?: () => number;
}): ReadRunDiff {
  const maxEntries = params.maxEntries ?? diffCacheSize;
  const retryAfterMs = params.retryAfterMs ?? 30_000;
  const now = params.now ?? Date.now;
  const cache = new Map<string, Promise<RunDiff | undefined>>();
  /** When each failed comparison may be asked again. */
  const failedUntil = new Map<string, number>();
  return (run) => {
    if (!run.baseSha || !run.headSha || run.baseSha === run.headSha) {
      return Promise.resolve(undefined);
    }
    const key = `${run.repositoryId}:${run.baseSha}:${run.headSha}`;
    const cached = cache.get(key);
    const until = failedUntil.get(key);
    if (until !== undefined && until <= now()) {
      failedUntil.delete(key);
      cache.delete(key);
    } else if (cached) {
      cache.delete(key);
      cache.set(key, cached);
      return cached;
    }
    const read = compare(run, run.baseSha, run.headSha).catch((error: unknown) => {
      params.log.warn({ err: error, runId: run.id }, "could not read the run's diff");
      if (cache.get(key) === read) failedUntil.set(key, now() + retryAfterMs);
      return undefined;
    });
    cache.set(key, read);
    while (cache.size > maxEntries) {
      const oldest = cache.keys().next().value;
      if (oldest === undefined) break;
      cache.delete(oldest);
      failedUntil.delete(oldest);
    }
    return read;
  };

  async function compare(run: Run, base: string, head: string): Promise<RunDiff> {
    const [owner = "", repo = ""] = run.repository.split("/");
    const octokit = await params.github.installation(run.installationId);
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/compare/{basehead}", {
      owner,
      repo,
      basehead: `${base}...${head}`,
    });
    return {
      htmlUrl: data.html_url,
      files: (data.files ?? []).map((file) => ({
        filename: file.filename,
        status: file.status,
        additions: file.additions,
        deletions: file.deletions,
        ...(typeof file.patch === "string" ? { patch: file.patch } : {}),
        ...(file.previous_filename ? { previousFilename: file.previous_filename } : {}),
      })),
    };
  }
}
