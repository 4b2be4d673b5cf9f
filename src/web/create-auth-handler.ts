import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { exchangeWebFlowCode } from "@octokit/oauth-methods";
import type { RequestInterface } from "@octokit/types";
import { parseCookie, stringifySetCookie } from "cookie";
import type { Logger } from "pino";
import type { UserTokens } from "../identity/create-user-tokens.js";
import type { Session, SessionSigner } from "./create-session-signer.js";
import { sendPage } from "./send-page.js";

const sessionTtlMs = 12 * 3_600_000;

/**
 * `GET /auth/login` and `GET /auth/callback`: GitHub's web flow for GitHub App user
 * tokens. Login sets a random `state` in an HttpOnly cookie and sends the browser to
 * GitHub; the callback accepts the code only with that same state, stores the person's
 * tokens (encrypted) so runs can act as them, signs them in to Ship's pages, and
 * returns them to where they came from (a path on Ship only: no open redirect).
 */
export function createAuthHandler(deps: {
  oauth: { clientId: string; clientSecret: string } | undefined;
  githubUrl: string;
  publicUrl: string;
  request: RequestInterface;
  tokens: UserTokens;
  signer: SessionSigner;
  log: Logger;
}) {
  const redirectUrl = `${deps.publicUrl}/auth/callback`;
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? "/", "http://ship.local");
    if (url.pathname === "/auth/done") {
      sendPage(
        res,
        200,
        "Ship is authorized",
        "<p>Runs you ask for now act as you: their pull requests and commits are yours. You can close this page.</p>",
      );
      return true;
    }
    if (url.pathname !== "/auth/login" && url.pathname !== "/auth/callback") return false;
    if (!deps.oauth) {
      sendPage(
        res,
        404,
        "Sign-in is not set up",
        "<p>Ship's operator has not set GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET.</p>",
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
        "set-cookie": cookie(
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
      res.writeHead(302, {
        location: returnTo,
        "set-cookie": [
          cookie(
            deps.signer,
            "session",
            deps.signer.sign(`session:${JSON.stringify(session)}`, sessionTtlMs),
            sessionTtlMs / 1000,
          ),
          cookie(deps.signer, "state", "", 0),
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

/** Path=/ and no Domain, as the `__Host-` prefix requires; `Secure` when Ship is on https. */
function cookie(
  signer: SessionSigner,
  kind: "session" | "state",
  value: string,
  maxAgeSeconds: number,
): string {
  return stringifySetCookie(signer.cookies[kind], value, {
    httpOnly: true,
    secure: signer.cookies.secure,
    sameSite: "lax",
    path: "/",
    maxAge: maxAgeSeconds,
  });
}

/** A path on Ship only: plain printable ASCII, one leading slash, so no browser reads it as another site. */
function safeReturnPath(value: string | null): string {
  if (!value || !/^\/[\x21-\x7e]*$/.test(value) || value.startsWith("//") || value.includes("\\"))
    return "/auth/done";
  return value;
}

function sameString(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
