/** How many times a create is sent in all when GitHub's answer is lost. */
const createAttempts = 3;

/**
 * Creates something on GitHub with a POST that must not be applied twice (a comment, a
 * pull request), when its answer may be lost: a 502 from a proxy, a dropped connection.
 * Octokit's retry plugin would send the same POST again after a 5xx, and so create a
 * second one whenever GitHub had made the first and only its answer was lost. Here the
 * POST is never retried as such (`create` must pass `request` on: `retries: 0`): after
 * a 5xx or no answer Ship waits (1 s, then 2 s, as the plugin would), looks with `find`,
 * and posts again only if it is not there. A 422 "already exists" also ends in `find`.
 * Rate limits are waited out inside the request (see `githubOctokit`).
 */
export async function createOnce<T>(params: {
  create: (request: { retries: 0 }) => Promise<T>;
  /** What an earlier attempt of this create made, if anything. */
  find: () => Promise<T | undefined>;
}): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await params.create({ retries: 0 });
    } catch (error) {
      if (alreadyExists(error)) {
        const made = await params.find();
        if (made !== undefined) return made;
        throw error;
      }
      if (!mayHaveBeenApplied(error) || attempt >= createAttempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, attempt * 1_000));
      const made = await params.find();
      if (made !== undefined) return made;
    }
  }
}

/** A failure after which GitHub may have applied the request anyway: a 5xx, or no answer. */
function mayHaveBeenApplied(error: unknown): boolean {
  const status = (error as { status?: unknown }).status;
  return typeof status !== "number" || status >= 500;
}

/** GitHub's 422 for a second pull request from the same branch, and the like. */
function alreadyExists(error: unknown): boolean {
  const failure = error as { status?: unknown; message?: unknown };
  return failure.status === 422 && /already exists/i.test(String(failure.message));
}
