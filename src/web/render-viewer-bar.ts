import { escapeHtml } from "./escape-html.js";
import type { Viewer } from "./read-viewer.js";
import { signInUrl } from "./sign-in-url.js";

/**
 * The header of every Ship page: a "Ship" link home, then "Signed in as @bob · Sign out"
 * or "Sign in" (back to `returnTo`, the page's own path), and the viewer's flash once.
 */
export function renderViewerBar(viewer: Viewer, returnTo: string): string {
  const back = `?return_to=${encodeURIComponent(returnTo)}`;
  const who = viewer.session
    ? `Signed in as <strong>@${escapeHtml(viewer.session.login)}</strong> · <a href="${escapeHtml(`/auth/sign-out${back}`)}">Sign out</a>`
    : `<a href="${escapeHtml(signInUrl("", returnTo))}">Sign in</a>`;
  const flash = viewer.flash
    ? `<p class="flash" role="status" style="border:1px solid var(--line);border-radius:6px;padding:.5rem .75rem;background:var(--soft)">${escapeHtml(viewer.flash)}</p>`
    : "";
  return `<header class="bar" style="display:flex;justify-content:space-between;gap:1rem;flex-wrap:wrap;align-items:baseline;margin-bottom:1rem"><a href="/" class="home"><strong>Ship</strong></a><span class="viewer">${who}</span></header>${flash}`;
}
