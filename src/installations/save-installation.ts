import type { Queryable } from "../db/queryable.js";

/** What Ship keeps of an installation of the app. */
export interface InstallationRecord {
  id: number;
  accountLogin: string;
  accountId: number;
  accountType: string;
  repositorySelection: string | undefined;
  /** Who installed the app; only known from `installation.created`. */
  installer?: { login: string; id: number } | undefined;
  suspended: boolean;
  deleted: boolean;
}

/** Inserts or updates an installation; an unknown installer keeps the one recorded before. */
export async function saveInstallation(
  db: Queryable,
  installation: InstallationRecord,
): Promise<void> {
  await db.query(
    `INSERT INTO installations (id, account_login, account_id, account_type, repository_selection,
       installer_login, installer_id, suspended_at, deleted_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7,
       CASE WHEN $8 THEN now() END, CASE WHEN $9 THEN now() END)
     ON CONFLICT (id) DO UPDATE SET
       account_login = excluded.account_login,
       account_id = excluded.account_id,
       account_type = excluded.account_type,
       repository_selection = coalesce(excluded.repository_selection, installations.repository_selection),
       installer_login = coalesce(excluded.installer_login, installations.installer_login),
       installer_id = coalesce(excluded.installer_id, installations.installer_id),
       suspended_at = CASE WHEN $8 THEN coalesce(installations.suspended_at, now()) END,
       deleted_at = CASE WHEN $9 THEN coalesce(installations.deleted_at, now()) END,
       updated_at = now()`,
    [
      installation.id,
      installation.accountLogin,
      installation.accountId,
      installation.accountType,
      installation.repositorySelection ?? null,
      installation.installer?.login ?? null,
      installation.installer?.id ?? null,
      installation.suspended,
      installation.deleted,
    ],
  );
}
