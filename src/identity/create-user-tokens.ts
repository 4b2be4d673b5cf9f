import { refreshToken as refreshUserToken } from "@octokit/oauth-methods";
import type { RequestInterface } from "@octokit/types";
import type pg from "pg";
import type { Logger } from "pino";
import { inTransaction } from "../db/in-transaction.js";
import type { TokenCipher } from "./create-token-cipher.js";
import { deleteUserAuthorization } from "./delete-user-authorization.js";
import { saveUserAuthorization } from "./save-user-authorization.js";
import type { UserAuthorization } from "./user-authorization.js";

/** People's tokens, always handed out fresh. */
export interface UserTokens {
  save(auth: UserAuthorization): Promise<void>;
  /**
   * A usable access token for the person, refreshed first when it would expire within
   * `validForMs` (a few minutes by default; a run asks for its whole length); undefined when they never authorized Ship, revoked it, or the refresh was
   * refused (their tokens are then forgotten).
   */
  forUser(
    userId: number,
    validForMs?: number,
  ): Promise<{ token: string; login: string } | undefined>;
  forget(userId: number): Promise<void>;
}

/** Refresh when less than this is left, so a token never expires in the middle of a run's step. */
const refreshMarginMs = 5 * 60_000;

interface Row {
  login: string;
  access_token: string;
  access_expires_at: Date | null;
  refresh_token: string | null;
  refresh_expires_at: Date | null;
}

/**
 * The token store. A refresh token is single-use, so refreshing happens under a lock
 * on the person's row: when two runs need a refresh at once, the second waits, then
 * finds the token the first one got.
 */
export function createUserTokens(deps: {
  pool: pg.Pool;
  cipher: TokenCipher;
  oauth: { clientId: string; clientSecret: string } | undefined;
  /** `@octokit/request` pointed at GitHub's API (GHE_HOST or github.com). */
  request: RequestInterface;
  log: Logger;
}): UserTokens {
  const { pool, cipher } = deps;
  return {
    save: (auth) => saveUserAuthorization(pool, cipher, auth),
    forget: (userId) => deleteUserAuthorization(pool, userId),
    forUser: (userId, validForMs = refreshMarginMs) =>
      inTransaction(pool, async (tx) => {
        const { rows } = await tx.query<Row>(
          "SELECT * FROM user_tokens WHERE user_id = $1 FOR UPDATE",
          [userId],
        );
        const row = rows[0];
        if (!row) return undefined;
        const expiresAt = row.access_expires_at?.getTime();
        if (
          expiresAt === undefined ||
          expiresAt - Date.now() > Math.max(validForMs, refreshMarginMs)
        ) {
          const token = cipher.decrypt(row.access_token);
          if (cipher.isStale(row.access_token)) await reseal(tx, userId, row);
          return { token, login: row.login };
        }
        const refreshable =
          row.refresh_token &&
          deps.oauth &&
          (row.refresh_expires_at?.getTime() ?? Infinity) > Date.now();
        if (!refreshable || !deps.oauth || !row.refresh_token) {
          await deleteUserAuthorization(tx, userId);
          return undefined;
        }
        try {
          const { authentication } = await refreshUserToken({
            clientType: "github-app",
            clientId: deps.oauth.clientId,
            clientSecret: deps.oauth.clientSecret,
            refreshToken: cipher.decrypt(row.refresh_token),
            request: deps.request,
          });
          await saveUserAuthorization(tx, cipher, {
            userId,
            login: row.login,
            accessToken: authentication.token,
            accessExpiresAt: new Date(authentication.expiresAt),
            refreshToken: authentication.refreshToken,
            refreshExpiresAt: new Date(authentication.refreshTokenExpiresAt),
          });
          return { token: authentication.token, login: row.login };
        } catch (error) {
          const refused = (error as { response?: { data?: { error?: string } } }).response?.data
            ?.error;
          if (!refused) throw error; // network trouble: the caller may retry
          // GitHub refused the refresh (revoked, or already used): only a new sign-in helps.
          deps.log.warn(
            { userId, refused },
            "GitHub refused to refresh a user token; forgetting it",
          );
          await deleteUserAuthorization(tx, userId);
          return undefined;
        }
      }),
  };

  async function reseal(tx: pg.PoolClient, userId: number, row: Row): Promise<void> {
    await saveUserAuthorization(tx, cipher, {
      userId,
      login: row.login,
      accessToken: cipher.decrypt(row.access_token),
      ...(row.access_expires_at ? { accessExpiresAt: row.access_expires_at } : {}),
      ...(row.refresh_token ? { refreshToken: cipher.decrypt(row.refresh_token) } : {}),
      ...(row.refresh_expires_at ? { refreshExpiresAt: row.refresh_expires_at } : {}),
    });
  }
}
