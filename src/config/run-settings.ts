import type { RunSettings } from "../runs/run-request.js";
import { formatDuration } from "./format-duration.js";
import type { RepoConfig } from "./repo-config-schema.js";

/**
 * The part of a repository's config that shapes a run, kept with the request. The
 * file can only lower Ship's limits: a `timeout:` above SHIP_RUN_TIMEOUT (`limits`) is
 * capped, and the cap is said in `notices` so the status comment can tell the person.
 */
export function runSettings(
  config: RepoConfig,
  limits: { runTimeoutMs?: number } = {},
): RunSettings {
  const notices: string[] = [];
  let timeoutMs = config.timeout;
  const limit = limits.runTimeoutMs;
  if (timeoutMs !== undefined && limit !== undefined && timeoutMs > limit) {
    notices.push(
      `\`timeout: ${formatDuration(timeoutMs)}\` is above Ship's ${formatDuration(limit)} limit; using ${formatDuration(limit)}.`,
    );
    timeoutMs = limit;
  }
  return {
    ...(config.branchPrefix !== undefined ? { branchPrefix: config.branchPrefix } : {}),
    ...(config.draft !== undefined ? { draft: config.draft } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(config.setup !== undefined ? { setup: config.setup } : {}),
    ...(config.instructions !== undefined ? { instructions: config.instructions } : {}),
    ...(config.actAs !== undefined ? { actAs: config.actAs } : {}),
    ...(config.budget !== undefined ? { budget: config.budget } : {}),
    ...(config.protectedPaths !== undefined ? { protectedPaths: config.protectedPaths } : {}),
    ...(config.closeIssue !== undefined ? { closeIssue: config.closeIssue } : {}),
    ...(notices.length ? { notices } : {}),
  };
}
