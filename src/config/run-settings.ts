import type { RunSettings } from "../runs/run-request.js";
import type { RepoConfig } from "./repo-config-schema.js";

/** The part of a repository's config that shapes a run, kept with the request. */
export function runSettings(config: RepoConfig): RunSettings {
  return {
    ...(config.branchPrefix !== undefined ? { branchPrefix: config.branchPrefix } : {}),
    ...(config.draft !== undefined ? { draft: config.draft } : {}),
    ...(config.timeout !== undefined ? { timeoutMs: config.timeout } : {}),
    ...(config.setup !== undefined ? { setup: config.setup } : {}),
    ...(config.instructions !== undefined ? { instructions: config.instructions } : {}),
    ...(config.actAs !== undefined ? { actAs: config.actAs } : {}),
    ...(config.budget !== undefined ? { budget: config.budget } : {}),
    ...(config.protectedPaths !== undefined ? { protectedPaths: config.protectedPaths } : {}),
    ...(config.closeIssue !== undefined ? { closeIssue: config.closeIssue } : {}),
  };
}
