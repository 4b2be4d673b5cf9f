import type { Queryable } from "../db/queryable.js";
import type { RunResult } from "./run-result.js";

/** Fields a pipeline phase records on its run: the phase and its recovery points. */
export interface RunUpdate {
  phase?: string;
  statusCommentId?: number;
  sandboxId?: string | null;
  branch?: string;
  baseSha?: string;
  headSha?: string;
  prNumber?: number;
  actingLogin?: string;
  result?: RunResult;
}

const columns: Record<keyof RunUpdate, string> = {
  phase: "phase",
  statusCommentId: "status_comment_id",
  sandboxId: "sandbox_id",
  branch: "branch",
  baseSha: "base_sha",
  headSha: "head_sha",
  prNumber: "pr_number",
  actingLogin: "acting_login",
  result: "result",
};

/** Writes the given fields of a run (only those present). */
export async function updateRun(db: Queryable, runId: number, update: RunUpdate): Promise<void> {
  const entries = Object.entries(update).filter(([, value]) => value !== undefined) as Array<
    [keyof RunUpdate, unknown]
  >;
  if (entries.length === 0) return;
  const sets = entries.map(([key], index) => `${columns[key]} = $${index + 2}`);
  await db.query(`UPDATE runs SET ${sets.join(", ")}, updated_at = now() WHERE id = $1`, [
    runId,
    ...entries.map(([, value]) => value),
  ]);
}
