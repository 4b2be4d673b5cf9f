import type { Queryable } from "../db/queryable.js";
import type { RunSandbox } from "../sandbox/list-run-sandboxes.js";

/**
 * A sandbox younger than this is never swept: its run may have created it a moment ago
 * and not yet recorded its id.
 */
export const sweepGraceMs = 2 * 60_000;

/**
 * Of the deployment's sandboxes, those nothing will ever use again: their run has
 * ended, is unknown, or holds another sandbox now (a worker died and the run started
 * over in a new one). Young sandboxes are spared (see `sweepGraceMs`).
 */
export async function findLeftoverSandboxes(
  db: Queryable,
  sandboxes: RunSandbox[],
  now = new Date(),
): Promise<RunSandbox[]> {
  const old = sandboxes.filter(
    (sandbox) => now.getTime() - sandbox.startedAt.getTime() >= sweepGraceMs,
  );
  if (old.length === 0) return [];
  const ids = [...new Set(old.flatMap((sandbox) => (sandbox.runId ? [sandbox.runId] : [])))];
  const { rows } = await db.query<{ id: number; state: string; sandboxId: string | null }>(
    `SELECT id::int AS id, state::text, sandbox_id AS "sandboxId" FROM runs WHERE id = ANY($1::bigint[])`,
    [ids],
  );
  const runs = new Map(rows.map((row) => [row.id, row]));
  return old.filter((sandbox) => {
    const run = sandbox.runId ? runs.get(sandbox.runId) : undefined;
    if (!run) return true;
    if (run.state !== "queued" && run.state !== "running") return true;
    return run.sandboxId !== sandbox.sandboxId;
  });
}
