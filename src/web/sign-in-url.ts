/**
 * Ship's own sign-in page, which says why one signs in and what authorizing changes
 * before it sends the browser on to GitHub's authorize screen. Every "sign in" or
 * "authorize" link (pages, redirects, comments) goes here, never straight to GitHub.
 * `publicUrl` is SHIP_PUBLIC_URL for links in comments, or "" for a path on Ship's pages;
 * `returnTo` is the path on Ship to come back to afterwards.
 */
export function signInUrl(publicUrl: string, returnTo?: string): string {
  const query = returnTo ? `?return_to=${encodeURIComponent(returnTo)}` : "";
  return `${publicUrl}/auth/sign-in${query}`;
}
