import type pg from "pg";
import { inTransaction } from "../db/in-transaction.js";
import { createOnce } from "../github/create-once.js";
import type { GitHubClient } from "../github/github-client.js";
import { statusMarker } from "./status-marker.js";

/**
 * Makes sure the run's one status comment exists (created with `body` if it did not)
 * and returns its id. Creation is serialized per run (advisory lock) and looks for the
 * marker before creating, so two workers, a retry after a crash, or a create whose
 * response was lost (502) never make a second comment (see `createOnce`).
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
    const id = found
      ? found.id
      : await createOnce({
          create: async (request) =>
            (
              await octokit.rest.issues.createComment({
                owner,
                repo,
                issue_number: issueNumber,
                body: params.body,
                request,
              })
            ).data.id,
          find: async () => (await findOwn())?.id,
        });
    await tx.query("UPDATE runs SET status_comment_id = $2, updated_at = now() WHERE id = $1", [
      runId,
      id,
    ]);
    return { id, created: !found };
  });
}
