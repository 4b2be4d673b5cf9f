import type pg from "pg";
import { inTransaction } from "../db/in-transaction.js";
import type { GitHubClient } from "../github/github-client.js";
import { statusMarker } from "./status-marker.js";

/** How many times the comment's creation is tried in all when GitHub's answer is lost. */
const createAttempts = 3;

/**
 * Makes sure the run's one status comment exists (created with `body` if it did not)
 * and returns its id. Creation is serialized per run (advisory lock) and looks for the
 * marker before creating, so two workers, a retry after a crash, or a create whose
 * response was lost (502) never make a second comment. Rate limits are waited out
 * inside the request (see `githubOctokit`).
 */
export async function ensureStatusComment(params: {
  pool: pg.Pool;
  octokit: GitHubClient;
  runId: number;
  owner: string;
  repo: string;
  issueNumber: number;
  body: string;
  /** Ship's app id: only its own comment is ever adopted. */
  appId: number;
}): Promise<{ id: number; created: boolean }> {
  const { pool, octokit, runId, owner, repo, issueNumber } = params;
  return inTransaction(pool, async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1, $2)", [0x5348, runId]);
    const { rows } = await tx.query<{ id: string | null }>(
      "SELECT status_comment_id AS id FROM runs WHERE id = $1",
      [runId],
    );
    const known = rows[0]?.id;
    if (known) return { id: Number(known), created: false };

    const marker = statusMarker(runId);
    const findOwn = async () =>
      (
        await octokit.paginate(octokit.rest.issues.listComments, {
          owner,
          repo,
          issue_number: issueNumber,
          per_page: 100,
        })
      ).find(
        // Only a comment Ship itself wrote: anyone can type the marker into theirs.
        (comment) =>
          comment.body?.includes(marker) &&
          comment.user?.type === "Bot" &&
          (comment.performed_via_github_app == null ||
            comment.performed_via_github_app.id === params.appId),
      );
    const found = await findOwn();
    const id = found ? found.id : await createOnce(params, findOwn);
    await tx.query("UPDATE runs SET status_comment_id = $2, updated_at = now() WHERE id = $1", [
      runId,
      id,
    ]);
    return { id, created: !found };
  });
}

/**
 * Creates the comment, making sure a lost answer does not make two. Octokit's retry
 * plugin would send the same POST again after a 5xx, and so comment twice whenever
 * GitHub had made the comment and only its answer was lost (a 502 from a proxy, a
 * dropped connection). So this POST is never retried as such: after a 5xx or no answer
 * Ship waits (1 s, then 2 s, as the plugin would), looks for the comment again, and
 * posts again only if it is not there.
 */
async function createOnce(
  params: { octokit: GitHubClient; owner: string; repo: string; issueNumber: number; body: string },
  findOwn: () => Promise<{ id: number } | undefined>,
): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      const { data } = await params.octokit.rest.issues.createComment({
        owner: params.owner,
        repo: params.repo,
        issue_number: params.issueNumber,
        body: params.body,
        request: { retries: 0 },
      });
      return data.id;
    } catch (error) {
      if (!mayHaveBeenApplied(error) || attempt >= createAttempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, attempt * 1_000));
      const made = await findOwn();
      if (made) return made.id;
    }
  }
}

/** A failure after which GitHub may have applied the request anyway: a 5xx, or no answer. */
function mayHaveBeenApplied(error: unknown): boolean {
  const status = (error as { status?: unknown }).status;
  return typeof status !== "number" || status >= 500;
}
