import type { RepositoryRole } from "./read-permission.js";

const rank: Record<RepositoryRole, number> = {
  none: 0,
  read: 1,
  triage: 2,
  write: 3,
  maintain: 4,
  admin: 5,
};

/**
 * Whether someone may start runs: at least write access (people who could push the
 * branch themselves), or the higher minimum a repository sets; and, when the repository
 * keeps an allow list, being on it. The list only narrows: it never lets a reader in.
 */
export function mayTrigger(
  role: RepositoryRole,
  login?: string,
  policy: { permission?: "write" | "maintain" | "admin"; allow?: string[] } = {},
): boolean {
  if (rank[role] < rank[policy.permission ?? "write"]) return false;
  return (
    !policy.allow ||
    (login !== undefined &&
      policy.allow.some((allowed) => allowed.toLowerCase() === login.toLowerCase()))
  );
}
