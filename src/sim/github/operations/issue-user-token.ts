import type {
  AppRecord,
  RefreshTokenRecord,
  UserRecord,
  UserToServerTokenRecord,
} from "../records.js";
import type { Sim } from "../sim.js";
import { generateToken } from "./generate-token.js";

/**
 * A GitHub App user access token (`ghu_`) for a user who authorized the app, with a
 * single-use refresh token (`ghr_`) when the app expires user tokens (GitHub's default:
 * 8 hours and 6 months; the fake's settings may shorten them for tests).
 */
export function issueUserToken(
  sim: Sim,
  params: { app: AppRecord; user: UserRecord },
): { access: UserToServerTokenRecord; refresh: RefreshTokenRecord | undefined } {
  const { state, clock, settings } = sim;
  const { app, user } = params;
  state.authorizations.add(`${app.id}:${user.id}`);
  const access: UserToServerTokenRecord = {
    kind: "user-to-server",
    token: generateToken("ghu"),
    userId: user.id,
    appId: app.id,
    expiresAt: app.expireUserTokens ? clock.now() + settings.userTokenTtlSeconds * 1000 : null,
  };
  state.tokens.set(access.token, access);
  if (!app.expireUserTokens) return { access, refresh: undefined };
  const refresh: RefreshTokenRecord = {
    token: generateToken("ghr"),
    userId: user.id,
    appId: app.id,
    expiresAt: clock.now() + settings.refreshTokenTtlSeconds * 1000,
    accessToken: access.token,
  };
  state.refreshTokens.set(refresh.token, refresh);
  return { access, refresh };
}
