import type { RepositoryRole } from "./read-permission.js";

/** Roles that may start runs: people who could push the branch themselves. */
export function mayTrigger(role: RepositoryRole): boolean {
  return role === "admin" || role === "maintain" || role === "write";
}
