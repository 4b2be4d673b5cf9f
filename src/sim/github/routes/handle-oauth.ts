import { randomBytes } from "node:crypto";
import type { ApiRequest, ApiResponse, ApiRouter } from "../http/api-router.js";
import { escapeHtml } from "../http/escape-html.js";
import { htmlPage } from "../http/html-page.js";
import { HttpError } from "../http/http-error.js";
import { issueUserToken } from "../operations/issue-user-token.js";
import { revokeUserAuthorization } from "../operations/revoke-user-authorization.js";
import type { AppRecord } from "../records.js";
import type { Sim } from "../sim.js";

const CODE_TTL_MS = 10 * 60 * 1000;
const ERROR_DOCS =
  "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors";

/**
 * GitHub App user authorization (the OAuth web flow): the authorize page, which a test
 * completes without a browser by passing `login=<user>` (or by posting its form), the
 * code and refresh-token exchange at `/login/oauth/access_token` with GitHub's
 * answers (errors are HTTP 200 with an `error` field), and the app deleting a grant.
 */
export function handleOauth(router: ApiRouter, sim: Sim): void {
  const { state, clock } = sim;

  /** Approves the authorization as `login` and sends the browser back with a code. */
  const authorize = (fields: Record<string, string | null>): ApiResponse => {
    const app = fields.client_id ? state.appByClientId(fields.client_id) : undefined;
    if (!app) {
      return {
        status: 404,
        html: htmlPage("Not found", "<p>No application has this client id.</p>"),
      };
    }
    const redirect = chooseRedirect(app, fields.redirect_uri ?? null);
    if (!redirect.ok) {
      return {
        status: 200,
        html: htmlPage(
          "Redirect URI mismatch",
          "<p>The redirect_uri is not associated with this application.</p>",
        ),
      };
    }
    const target = new URL(redirect.url);
    if (fields.state) target.searchParams.set("state", fields.state);
    const login = fields.login;
    if (!login) {
      return { status: 200, html: consentPage(app, fields) };
    }
    const user = state.userByLogin(login);
    if (user?.type !== "User") {
      return {
        status: 422,
        html: htmlPage("Unknown user", `<p>No user ${escapeHtml(login)}.</p>`),
      };
    }
    if (fields.deny === "1") {
      target.searchParams.set("error", "access_denied");
      target.searchParams.set("error_description", "The user has denied your application access.");
      return { status: 302, redirect: target.toString() };
    }
    const code = randomBytes(10).toString("hex");
    state.oauthCodes.set(code, {
      code,
      appId: app.id,
      userId: user.id,
      redirectUri: fields.redirect_uri ?? null,
      expiresAt: clock.now() + CODE_TTL_MS,
    });
    target.searchParams.set("code", code);
    return { status: 302, redirect: target.toString() };
  };

  const pick = (request: ApiRequest, names: string[]) =>
    Object.fromEntries(
      names.map((name) => {
        const value = request.body[name] ?? request.query.get(name);
        return [name, value === undefined || value === null ? null : String(value)];
      }),
    ) as Record<string, string | null>;

  const AUTHORIZE_FIELDS = ["client_id", "redirect_uri", "state", "login", "deny"];
  router.route("GET", "/login/oauth/authorize", (request) =>
    authorize(pick(request, AUTHORIZE_FIELDS)),
  );
  router.route("POST", "/login/oauth/authorize", (request) =>
    authorize(pick(request, AUTHORIZE_FIELDS)),
  );

  router.route(
    "POST",
    "/login/oauth/access_token",
    (request) => {
      const fields = pick(request, [
        "client_id",
        "client_secret",
        "code",
        "redirect_uri",
        "grant_type",
        "refresh_token",
      ]);
      const json = String(request.headers.accept ?? "").includes("json");
      const answer = (body: Record<string, string | number>): ApiResponse =>
        json
          ? { status: 200, body }
          : {
              status: 200,
              form: Object.fromEntries(
                Object.entries(body).map(([key, value]) => [key, String(value)]),
              ),
            };
      const failure = (error: string, description: string) =>
        answer({
          error,
          error_description: description,
          error_uri: `${ERROR_DOCS}#${error.replaceAll("_", "-")}`,
        });

      const app = fields.client_id ? state.appByClientId(fields.client_id) : undefined;
      if (!app || fields.client_secret !== app.clientSecret) {
        return failure(
          "incorrect_client_credentials",
          "The client_id and/or client_secret passed are incorrect.",
        );
      }
      let userId: number;
      if (fields.grant_type === "refresh_token") {
        const refresh = fields.refresh_token
          ? state.refreshTokens.get(fields.refresh_token)
          : undefined;
        if (!refresh || refresh.appId !== app.id || refresh.expiresAt <= clock.now()) {
          return failure("bad_refresh_token", "The refresh token passed is incorrect or expired.");
        }
        // Single use: the refresh token and the access token issued with it both end.
        state.refreshTokens.delete(refresh.token);
        state.tokens.delete(refresh.accessToken);
        userId = refresh.userId;
      } else {
        const code = fields.code ? state.oauthCodes.get(fields.code) : undefined;
        if (!code || code.appId !== app.id || code.expiresAt <= clock.now()) {
          return failure("bad_verification_code", "The code passed is incorrect or expired.");
        }
        if (fields.redirect_uri && code.redirectUri && fields.redirect_uri !== code.redirectUri) {
          return failure(
            "redirect_uri_mismatch",
            "The redirect_uri MUST match the registered callback URL for this application.",
          );
        }
        state.oauthCodes.delete(code.code);
        userId = code.userId;
      }
      const { access, refresh } = issueUserToken(sim, { app, user: state.user(userId) });
      return answer({
        access_token: access.token,
        ...(access.expiresAt !== null
          ? { expires_in: Math.round((access.expiresAt - clock.now()) / 1000) }
          : {}),
        ...(refresh
          ? {
              refresh_token: refresh.token,
              refresh_token_expires_in: Math.round((refresh.expiresAt - clock.now()) / 1000),
            }
          : {}),
        scope: "",
        token_type: "bearer",
      });
    },
    { authenticate: false },
  );

  router.operation(
    "apps/delete-authorization",
    ({ headers, params, body }) => {
      const app = state.appByClientId(params.client_id ?? "");
      const [scheme = "", credential = ""] = String(headers.authorization ?? "").split(/\s+/);
      const [clientId, clientSecret] = Buffer.from(credential, "base64")
        .toString("utf8")
        .split(":");
      if (
        !app ||
        scheme.toLowerCase() !== "basic" ||
        clientId !== app.clientId ||
        clientSecret !== app.clientSecret
      ) {
        throw new HttpError(404, "Not Found");
      }
      const token =
        typeof body.access_token === "string" ? state.tokens.get(body.access_token) : undefined;
      if (token?.kind !== "user-to-server" || token.appId !== app.id) {
        throw new HttpError(422, "Validation Failed", {
          errors: [{ resource: "OauthAccess", code: "invalid", field: "access_token" }],
        });
      }
      revokeUserAuthorization(sim, { app, user: state.user(token.userId) });
      return { status: 204 };
    },
    { authenticate: false },
  );

  function consentPage(app: AppRecord, fields: Record<string, string | null>): string {
    const users = [...state.users.values()].filter((user) => user.type === "User");
    const hidden = ["client_id", "redirect_uri", "state"]
      .filter((name) => fields[name])
      .map(
        (name) => `<input type="hidden" name="${name}" value="${escapeHtml(fields[name] ?? "")}">`,
      )
      .join("");
    const options = users
      .map((user) => `<option value="${escapeHtml(user.login)}">${escapeHtml(user.login)}</option>`)
      .join("");
    return htmlPage(
      `Authorize ${app.name}`,
      `<p><strong>${escapeHtml(app.name)}</strong> wants to act on your behalf.</p>
<form method="post" action="/login/oauth/authorize">${hidden}
<label>Signed in as <select name="login">${options}</select></label>
<button type="submit">Authorize ${escapeHtml(app.name)}</button>
<button type="submit" name="deny" value="1">Cancel</button></form>`,
    );
  }
}

/**
 * The callback to send the browser to: the given `redirect_uri` if it matches one of
 * the app's callback URLs (the same, or a path below one on the same host), else the
 * first callback URL.
 */
function chooseRedirect(
  app: AppRecord,
  redirectUri: string | null,
): { ok: true; url: string } | { ok: false } {
  if (!redirectUri) {
    const first = app.callbackUrls[0];
    return first ? { ok: true, url: first } : { ok: false };
  }
  let wanted: URL;
  try {
    wanted = new URL(redirectUri);
  } catch {
    return { ok: false };
  }
  // An app without registered callbacks accepts any (the fake's convenience for tests).
  if (app.callbackUrls.length === 0) return { ok: true, url: redirectUri };
  const matches = app.callbackUrls.some((callback) => {
    const registered = new URL(callback);
    return (
      registered.origin === wanted.origin &&
      (wanted.pathname === registered.pathname ||
        wanted.pathname.startsWith(`${registered.pathname.replace(/\/$/, "")}/`))
    );
  });
  return matches ? { ok: true, url: redirectUri } : { ok: false };
}
