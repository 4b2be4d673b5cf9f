import type { IncomingMessage, ServerResponse } from "node:http";
import type { SessionSigner } from "./create-session-signer.js";
import { escapeHtml } from "./escape-html.js";
import { readForm } from "./read-form.js";
import { readViewer } from "./read-viewer.js";
import { renderViewerBar } from "./render-viewer-bar.js";
import { safeReturnPath } from "./safe-return-path.js";
import { sendPage } from "./send-page.js";
import { shipCookie } from "./ship-cookie.js";
import { signInUrl } from "./sign-in-url.js";

/** How long the confirm page's form stays good. */
const csrfTtlMs = 3_600_000;
const paths = new Set(["/auth/sign-out", "/auth/logout"]);

/**
 * `GET /auth/sign-out` (and `/auth/logout`): a page to confirm signing out;
 * `POST /auth/sign-out`: with that page's CSRF token (bound to the signed-in person, as
 * Cancel and Retry bind theirs), ends the session in this browser and goes back with a
 * one-time notice. It does not revoke Ship's GitHub authorization (tokens stay, so runs
 * the person asks for still act as them): the page says so and links GitHub's settings.
 */
export function createSignOutHandler(deps: {
  signer: SessionSigner;
  githubUrl: string;
  actAs?: "user" | "app";
}) {
  const settings = `${deps.githubUrl}/settings/apps/authorizations`;
  const revoke =
    deps.actAs === "app"
      ? `Signing out does not revoke Ship's authorization on GitHub; to revoke it, open GitHub's settings (<a href="${escapeHtml(settings)}">Applications</a>).`
      : `Signing out does not revoke Ship's authorization on GitHub: pull requests you ask for are still opened in your name. To revoke it, open GitHub's settings (<a href="${escapeHtml(settings)}">Applications</a>).`;
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? "/", "http://ship.local");
    if (!paths.has(url.pathname)) return false;
    if (req.method === "POST" && url.pathname === "/auth/sign-out") {
      const form = await readForm(req);
      const returnTo = safeReturnPath(form.get("return_to"));
      const viewer = readViewer(req, res, deps.signer);
      if (
        !viewer.session ||
        deps.signer.verify(form.get("csrf") ?? "") !== `sign-out:${viewer.session.userId}`
      ) {
        return sendPage(
          res,
          403,
          "Please confirm again",
          `<p>The request did not come from Ship's sign-out page for you. <a href="${escapeHtml(`/auth/sign-out?return_to=${encodeURIComponent(returnTo)}`)}">Open it</a> again.</p>`,
          { header: renderViewerBar(viewer, returnTo) },
        );
      }
      const flash = `You are signed out of Ship's pages. ${
        deps.actAs === "app"
          ? "Ship's authorization on GitHub stays until you revoke it in GitHub's settings."
          : "Ship's authorization on GitHub stays (pull requests you ask for are still in your name) until you revoke it in GitHub's settings."
      }`;
      res.writeHead(303, {
        location: returnTo,
        "set-cookie": [
          shipCookie(deps.signer, "session", "", 0),
          shipCookie(deps.signer, "flash", deps.signer.sign(`flash:${flash}`, 120_000), 120),
        ],
        "cache-control": "no-store",
      });
      res.end();
      return true;
    }
    if (req.method !== "GET") return false;
    const returnTo = safeReturnPath(url.searchParams.get("return_to"));
    const viewer = readViewer(req, res, deps.signer);
    const header = { header: renderViewerBar(viewer, returnTo) };
    if (!viewer.session) {
      return sendPage(
        res,
        200,
        "You are not signed in",
        `<p><a href="${escapeHtml(signInUrl("", returnTo))}">Sign in</a>, or <a href="/">go home</a>.</p>`,
        header,
      );
    }
    const csrf = deps.signer.sign(`sign-out:${viewer.session.userId}`, csrfTtlMs);
    return sendPage(
      res,
      200,
      "Sign out of Ship?",
      `<p>You are signed in as <strong>@${escapeHtml(viewer.session.login)}</strong>. Signing out ends your session on Ship's pages in this browser.</p>
<p>${revoke}</p>
<form class="actions" method="post" action="/auth/sign-out"><input type="hidden" name="csrf" value="${escapeHtml(csrf)}"><input type="hidden" name="return_to" value="${escapeHtml(returnTo)}"><button type="submit" class="button primary">Sign out</button> <a class="button" href="${escapeHtml(returnTo)}">Stay signed in</a></form>`,
      header,
    );
  };
}
