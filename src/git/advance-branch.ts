import type { GitDataOctokit } from "./git-data-octokit.js";
import { PushError } from "./push-error.js";
import { toPushError } from "./to-push-error.js";

/**
 * Points `refs/heads/<branch>` on GitHub at `to`: creates the branch when it does not
 * exist, fast-forwards it when it is at `from`, leaves it when it is already at `to`
 * (the same push done twice), and otherwise refuses: someone else pushed, and their
 * commits must not be overwritten. The update is not forced, so a push landing between
 * the read and the update is refused by GitHub too.
 */
export async function advanceBranch(params: {
  octokit: GitDataOctokit;
  owner: string;
  repo: string;
  branch: string;
  from: string;
  to: string;
  signal?: AbortSignal;
}): Promise<"created" | "updated" | "unchanged"> {
  const { octokit, owner, repo, branch, from, to, signal } = params;
  const repository = `${owner}/${repo}`;
  const request = signal ? { request: { signal } } : {};
  const moved = (now: string | undefined, cause?: unknown) =>
    new PushError({
      kind: "branch-moved",
      message: `The branch "${branch}" changed on GitHub while Ship was working${now ? ` (it is now at ${now.slice(0, 7)}, Ship's commits start at ${from.slice(0, 7)})` : ""}; Ship did not overwrite it. Run Ship again to start from the new state, or have it push to another branch.`,
      ...(cause === undefined ? {} : { cause, status: statusOf(cause) ?? 422 }),
    });
  const fail = (error: unknown, doing: string) => {
    if (signal?.aborted) return signal.reason;
    return toPushError(error, { doing, repository });
  };

  let current: string | undefined;
  try {
    const { data } = await octokit.rest.git.getRef({
      owner,
      repo,
      ref: `heads/${branch}`,
      ...request,
    });
    current = data.object.sha;
  } catch (error) {
    if (statusOf(error) !== 404) throw fail(error, `read the branch "${branch}"`);
  }

  if (current === undefined) {
    try {
      await octokit.rest.git.createRef({
        owner,
        repo,
        ref: `refs/heads/${branch}`,
        sha: to,
        ...request,
      });
      return "created";
    } catch (error) {
      if (statusOf(error) === 422 && /already exists/i.test(messageOf(error))) {
        throw moved(undefined, error);
      }
      throw fail(error, `create the branch "${branch}"`);
    }
  }
  if (current === to) return "unchanged";
  if (current !== from) throw moved(current);
  try {
    await octokit.rest.git.updateRef({
      owner,
      repo,
      ref: `heads/${branch}`,
      sha: to,
      force: false,
      ...request,
    });
    return "updated";
  } catch (error) {
    if (statusOf(error) === 422 && /fast.forward/i.test(messageOf(error))) {
      throw moved(undefined, error);
    }
    throw fail(error, `update the branch "${branch}"`);
  }
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}

function messageOf(error: unknown): string {
  const failure = error as { message?: unknown; response?: { data?: { message?: unknown } } };
  return String(failure?.response?.data?.message ?? failure?.message ?? "");
}
