import type { RepositoryRole } from "../records.js";

const RANK: Record<RepositoryRole, number> = {
  read: 1,
  triage: 2,
  write: 3,
  maintain: 4,
  admin: 5,
};

/** Whether `role` includes everything `needed` allows (admin > maintain > write > ...). */
export function roleAtLeast(role: RepositoryRole | null, needed: RepositoryRole): boolean {
  return role !== null && RANK[role] >= RANK[needed];
}
