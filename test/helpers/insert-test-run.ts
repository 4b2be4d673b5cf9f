import { randomUUID } from "node:crypto";
import type { Queryable } from "../../src/db/queryable.js";

/** Inserts a delivery and a queued run for it, as ingest would; returns the run id. */
export async function insertTestRun(
  db: Queryable,
  overrides: { thread?: number } = {},
): Promise<number> {
  const deliveryId = randomUUID();
  await db.query(
    "INSERT INTO deliveries (id, event, outcome) VALUES ($1, 'issue_comment.created', 'run')",
    [deliveryId],
  );
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO runs (delivery_id, installation_id, repository_id, repository, thread_number, trigger,
       requester_login, requester_id, request)
     VALUES ($1, 1, 2, 'octo/hello', $2, 'issue_command', 'octocat', 3, '{"task":"add a README"}')
     RETURNING id::int AS id`,
    [deliveryId, overrides.thread ?? 1],
  );
  return (rows[0] as { id: number }).id;
}
