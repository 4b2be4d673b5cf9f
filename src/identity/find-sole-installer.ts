import type { Queryable } from "../db/queryable.js";

/**
 * The login of the person who installed Ship, when Ship is installed on one account only
 * (the usual self-hosted case), else undefined. The sign-in page names them ("instead of
 * in @alice's name") only then: with several installations, naming the installer of the
 * page asked for would tell an anonymous visitor whose account a private run belongs to.
 */
export async function findSoleInstaller(db: Queryable): Promise<string | undefined> {
  const { rows } = await db.query<{ login: string | null }>(
    `SELECT min(installer_login) AS login FROM installations
      WHERE deleted_at IS NULL HAVING count(*) = 1`,
  );
  return rows[0]?.login ?? undefined;
}
