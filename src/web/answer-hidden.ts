import type { ServerResponse } from "node:http";
import type { ViewerAccess } from "./read-viewer-access.js";
import { sendPage } from "./send-page.js";
import { signInUrl } from "./sign-in-url.js";

/**
 * Answers a visitor who may not see the page: sent to sign in (then back to `returnTo`)
 * when nobody is signed in, else "not found", the same as for a page that does not exist.
 */
export function answerHidden(
  res: ServerResponse,
  access: Exclude<ViewerAccess, { kind: "visible" }> | { kind: "missing" },
  returnTo: string,
): true {
  if (access.kind === "sign_in") {
    res.writeHead(302, {
      location: signInUrl("", returnTo),
      "cache-control": "no-store",
    });
    res.end();
    return true;
  }
  return sendPage(res, 404, "Not found", "<p>There is no such run, or it is not yours to see.</p>");
}
