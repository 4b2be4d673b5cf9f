import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { exchangeWebFlowCode } from "@octokit/oauth-methods";
import type { RequestInterface } from "@octokit/types";
import { parseCookie } from "cookie";
import type { Logger } from "pino";
import type { UserTokens } from "../identity/create-user-tokens.js";
import type { Session, SessionSigner } from "./create-session-signer.js";
import { escapeHtml } from "./escape-html.js";
import { readViewer } from "./read-viewer.js";
import { renderSignInPage } from "./render-sign-in-page.js";
import { renderViewerBar } from "./render-viewer-bar.js";
import { safeReturnPath } from "./safe-return-path.js";
import { sendPage } from "./send-page.js";
import { shipCookie } from "./ship-cookie.js";

const sessionTtlMs = 12 * 3_600_000;
/** Long enough to follow the redirect back, short enough not to greet a later visit. */
const flashTtlSeconds = 120;

/**
 * `GET /auth/sign-in`, `GET /auth/login` and `GET /auth/callback`: GitHub's web flow for
 * GitHub App user tokens, behind a page of Ship's own. Sign-in says why one signs in and
 * what authorizing changes, then its button goes to login. Login sets a random `state`
 * in an HttpOnly cookie and sends the browser to GitHub; the callback accepts the code
 * only with that same state, stores the person's tokens (encrypted) so runs can act as
 * them, signs them in to Ship's pages, and returns them to where they came from (a path
 * on Ship only: no open redirect), where a one-time notice says what changed.
 */
export function createAuthHandler(deps: {
  oauth: { clientId: string; clientSecret: string } | undefined;
  githubUrl: string;
  publicUrl: string;
  request: RequestInterface;
  tokens: UserTokens;
  signer: SessionSigner;
  /** Whom runs act as (SHIP_ACT_AS, SHIP_INSTALLER_STANDS_IN), for what the pages promise. */
  actAs?: "user" | "app";
  installerStandsIn?: boolean;
  /** The installer the sign-in page may name (`findSoleInstaller`). */
  findInstaller?: () => Promise<string | undefined>;
  log: Logger;
}) {
  const redirectUrl = `${deps.publicUrl}/auth/callback`;
  const actAs = deps.actAs ?? "user";
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? "/", "http://ship.local");
    if (url.pathname === "/auth/done") {
      const viewer = readViewer(req, res, deps.signer);
      sendPage(
        res,
        200,
        "Ship is authorized",
        actAs === "app"
          ? '<p>You are signed in. <a href="/">See your repositories\' runs</a>.</p>'
          : '<p>Runs you ask for now act as you: their pull requests and commits are yours. <a href="/">See your repositories\' runs</a>.</p>',
        { header: renderViewerBar(viewer, "/") },
      );
      return true;
    }
    if (
      url.pathname !== "/auth/sign-in" &&
      url.pathname !== "/auth/login" &&
      url.pathname !== "/auth/callback"
    )
      return false;
    if (!deps.oauth) {
      sendPage(
        res,
        404,
        "Sign-in is not set up",
        "<p>Ship's operator has not set GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET.</p>",
      );
      return true;
    }
    if (url.pathname === "/auth/sign-in") {
      const returnTo = safeReturnPath(url.searchParams.get("return_to"));
      const viewer = readViewer(req, res, deps.signer);
      const installer = await (deps.findInstaller?.() ?? Promise.resolve(undefined)).catch(
        () => undefined,
      );
      const already = viewer.session
        ? `<p>You are already signed in as <strong>@${escapeHtml(viewer.session.login)}</strong>. <a href="${escapeHtml(returnTo)}">Go back</a>, or continue to sign in again (as another GitHub account, for example).</p>`
        : "";
      sendPage(
        res,
        200,
        "Sign in to Ship",
        already +
          renderSignInPage({
            returnTo,
            continueUrl: `/auth/login?return_to=${encodeURIComponent(returnTo)}`,
            actAs,
            installerStandsIn: deps.installerStandsIn === true,
            installer,
            githubUrl: deps.githubUrl,
          }),
        { header: renderViewerBar(viewer, returnTo) },
      );
      return true;
    }
    if (url.pathname === "/auth/login") {
      const state = randomBytes(16).toString("hex");
      const returnTo = safeReturnPath(url.searchParams.get("return_to"));
      const authorize = new URL(`${deps.githubUrl}/login/oauth/authorize`);
      authorize.searchParams.set("client_id", deps.oauth.clientId);
      authorize.searchParams.set("redirect_uri", redirectUrl);
      authorize.searchParams.set("state", state);
      res.writeHead(302, {
        location: authorize.toString(),
        "set-cookie": shipCookie(
          deps.signer,
          "state",
          deps.signer.sign(`${state} ${returnTo}`, 600_000),
          600,
        ),
        "cache-control": "no-store",
      });
      res.end();
      return true;
    }

    const saved = deps.signer.verify(
      parseCookie(req.headers.cookie ?? "")[deps.signer.cookies.state] ?? "",
    );
    const [expectedState, returnTo = "/"] = saved?.split(" ") ?? [];
    const state = url.searchParams.get("state") ?? "";
    const code = url.searchParams.get("code");
    if (!expectedState || !sameString(state, expectedState) || !code) {
      sendPage(
        res,
        400,
        "Sign-in failed",
        "<p>The sign-in link expired or did not come from this browser. Start again from the link Ship gave you.</p>",
      );
      return true;
    }
    try {
      const { authentication } = await exchangeWebFlowCode({
        clientType: "github-app",
        clientId: deps.oauth.clientId,
        clientSecret: deps.oauth.clientSecret,
        code,
        redirectUrl,
        request: deps.request,
      });
      const { data: user } = await deps.request("GET /user", {
        headers: { authorization: `token ${authentication.token}` },
      });
      const expiring = authentication as {
        expiresAt?: string;
        refreshToken?: string;
        refreshTokenExpiresAt?: string;
      };
      const userId = Number(user.id);
      await deps.tokens.save({
        userId,
        login: user.login,
        accessToken: authentication.token,
        ...(expiring.expiresAt ? { accessExpiresAt: new Date(expiring.expiresAt) } : {}),
        ...(expiring.refreshToken ? { refreshToken: expiring.refreshToken } : {}),
        ...(expiring.refreshTokenExpiresAt
          ? { refreshExpiresAt: new Date(expiring.refreshTokenExpiresAt) }
          : {}),
      });
      deps.log.info({ login: user.login }, "a person authorized Ship");
      const session: Session = { userId, login: user.login };
      const flash =
        actAs === "app"
          ? `You are signed in as @${user.login}.`
          : `You are signed in as @${user.login}; Ship will now open pull requests you ask for in your name.`;
      res.writeHead(302, {
        location: returnTo,
        "set-cookie": [
          shipCookie(
            deps.signer,
            "session",
            deps.signer.sign(`session:${JSON.stringify(session)}`, sessionTtlMs),
            sessionTtlMs / 1000,
          ),
          shipCookie(deps.signer, "state", "", 0),
          shipCookie(
            deps.signer,
            "flash",
            deps.signer.sign(`flash:${flash}`, flashTtlSeconds * 1000),
            flashTtlSeconds,
          ),
        ],
        "cache-control": "no-store",
      });
      res.end();
    } catch (error) {
      deps.log.warn({ err: error }, "GitHub sign-in failed");
      sendPage(
        res,
        502,
        "Sign-in failed",
        "<p>GitHub did not confirm the sign-in. Please start again.</p>",
      );
    }
    return true;
  };
}

function sameString(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
