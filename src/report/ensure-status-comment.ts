import type pg from "pg";
import { inTransaction } from "../db/in-transaction.js";
import type { GitHubClient } from "../github/github-client.js";
import { statusMarker } from "./status-marker.js";

/**
 * Makes sure the run's one status comment exists (created with `body` if it did not)
 * and returns its id. Creation is
 * serialized per run (advisory lock) and looks for the marker before creating, so two
 * workers, a retry after a crash, or a create whose response was lost (502) never make a
 * second comment.
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
    const comments = await octokit.paginate(octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: issueNumber,
      per_page: 100,
    });
    // Only a comment Ship itself wrote: anyone can type the marker into theirs.
    const found = comments.find(
      (comment) =>
        comment.body?.includes(marker) &&
        comment.user?.type === "Bot" &&
        (comment.performed_via_github_app == null ||
          comment.performed_via_github_app.id === params.appId),
    );
    const id = found
      ? found.id
      : (
          await octokit.rest.issues.createComment({
            owner,
            repo,
            issue_number: issueNumber,
            body: params.body,
          })
        ).data.id;
    await tx.query("UPDATE runs SET status_comment_id = $2, updated_at = now() WHERE id = $1", [
      runId,
      id,
    ]);
    return { id, created: !found };
  });
}
