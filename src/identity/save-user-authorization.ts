import type { Queryable } from "../db/queryable.js";
import type { TokenCipher } from "./create-token-cipher.js";
import type { UserAuthorization } from "./user-authorization.js";

/** Stores (or replaces) a person's tokens, encrypted. */
export async function saveUserAuthorization(
  db: Queryable,
  cipher: TokenCipher,
  auth: UserAuthorization,
): Promise<void> {
  await db.query(
    `INSERT INTO user_tokens (user_id, login, access_token, access_expires_at, refresh_token, refresh_expires_at)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (user_id) DO UPDATE SET login = excluded.login, access_token = excluded.access_token,
       access_expires_at = excluded.access_expires_at, refresh_token = excluded.refresh_token,
       refresh_expires_at = excluded.refresh_expires_at, updated_at = now()`,
    [
      auth.userId,
      auth.login,
      cipher.encrypt(auth.accessToken),
      auth.accessExpiresAt ?? null,
      auth.refreshToken ? cipher.encrypt(auth.refreshToken) : null,
      auth.refreshExpiresAt ?? null,
    ],
  );
}
