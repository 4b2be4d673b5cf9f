import { compactVerify, decodeJwt, decodeProtectedHeader } from "jose";
import type { GitHubState } from "../github-state.js";
import { HttpError } from "../http/http-error.js";
import type { AppRecord } from "../records.js";

const DOCS = "https://docs.github.com/rest";
// GitHub's own messages: Octokit's app auth recognizes the two clock ones and retries
// with its clock corrected by the `Date` header.
const UNDECODABLE = "A JSON web token could not be decoded";
const EXPIRED =
  "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires";
const TOO_FAR = "'Expiration time' claim ('exp') is too far in the future";
const IAT_FUTURE = "'Issued at' claim ('iat') must be an Integer representing a time in the past";
/** GitHub tolerates a little clock drift on top of the 10-minute maximum. */
const SKEW_SECONDS = 60;

/**
 * Checks a GitHub App JWT as GitHub does: RS256 signed by the app's key, `iss` the app
 * id (or client id), `iat` not in the future, `exp` in the future and at most ten
 * minutes after `iat`. Throws a 401 `HttpError` with GitHub's message otherwise.
 */
export async function verifyAppJwt(
  state: GitHubState,
  jwt: string,
  nowMs: number,
): Promise<AppRecord> {
  const fail = (message: string) => new HttpError(401, message, { documentationUrl: DOCS });
  let claims: ReturnType<typeof decodeJwt>;
  try {
    if (decodeProtectedHeader(jwt).alg !== "RS256") throw fail(UNDECODABLE);
    claims = decodeJwt(jwt);
  } catch {
    throw fail(UNDECODABLE);
  }
  const issuer = String(claims.iss ?? "");
  const app = state.apps.get(Number(issuer)) ?? (issuer ? state.appByClientId(issuer) : undefined);
  if (!app) throw fail(UNDECODABLE);
  try {
    await compactVerify(jwt, app.publicKey, { algorithms: ["RS256"] });
  } catch {
    throw fail(UNDECODABLE);
  }
  const now = Math.floor(nowMs / 1000);
  const { iat, exp } = claims;
  if (typeof iat !== "number" || !Number.isInteger(iat) || iat > now + SKEW_SECONDS) {
    throw fail(IAT_FUTURE);
  }
  if (typeof exp !== "number" || exp <= now) throw fail(EXPIRED);
  if (exp - iat > 600 || exp > now + 600 + SKEW_SECONDS) throw fail(TOO_FAR);
  return app;
}
