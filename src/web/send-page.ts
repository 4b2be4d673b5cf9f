import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import { renderPage } from "./render-page.js";

/**
 * Answers with one of Ship's pages, never cached. A page's script runs under a
 * Content-Security-Policy that allows only that script (by nonce) and same-origin
 * requests: text from issues and agents shown on the page can never run as code.
 */
export function sendPage(
  res: ServerResponse,
  status: number,
  title: string,
  body: string,
  /** `header`: the page's header slot (see `renderPage`), e.g. `renderViewerBar(...)`. */
  options: { script?: string; header?: string } = {},
): true {
  const nonce = randomBytes(16).toString("base64");
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    "content-security-policy": `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'self'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'`,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
  });
  res.end(renderPage(title, body, { ...options, nonce }));
  return true;
}
