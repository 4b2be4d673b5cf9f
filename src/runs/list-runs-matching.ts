import type { Queryable } from "../db/queryable.js";
import { type Run, type RunState, runColumns } from "./run.js";

/** What a repository's history may be narrowed to; each filter left out matches all. */
export interface RunFilters {
  state?: RunState;
  /** The login of the person who asked, compared without case as GitHub does. */
  requester?: string;
  trigger?: string;
}

/**
 * A repository's runs that match `filters`, newest first; `before` (a run id) pages back.
 * By repository id, as `listRuns`.
 */
export async function listRunsMatching(
  db: Queryable,
  repositoryId: number,
  filters: RunFilters,
  page: { before?: number; limit: number },
): Promise<Run[]> {
  const { rows } = await db.query<Run>(
    `SELECT ${runColumns} FROM runs WHERE repository_id = $1
       AND ($2::bigint IS NULL OR id < $2)
       AND ($3::text IS NULL OR state::text = $3)
       AND ($4::text IS NULL OR lower(requester_login) = lower($4))
       AND ($5::text IS NULL OR trigger = $5)
     ORDER BY id DESC LIMIT $6`,
    [
      repositoryId,
      page.before ?? null,
      filters.state ?? null,
      filters.requester ?? null,
      filters.trigger ?? null,
      page.limit,
    ],
  );
  return rows;
}
