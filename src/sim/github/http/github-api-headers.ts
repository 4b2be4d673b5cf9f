/**
 * Headers api.github.com puts on every REST answer, success or error (as recorded in
 * `@octokit/fixtures`). Browsers and some clients act on them: `nosniff` stops a raw
 * file being run as script, the CORS pair lets a page read ETag, Link and the limits.
 */
export const GITHUB_API_HEADERS: Readonly<Record<string, string>> = {
  "access-control-allow-origin": "*",
  "access-control-expose-headers":
    "ETag, Link, Location, Retry-After, X-GitHub-OTP, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Used, X-RateLimit-Resource, X-RateLimit-Reset, X-OAuth-Scopes, X-Accepted-OAuth-Scopes, X-Poll-Interval, X-GitHub-Media-Type, X-GitHub-SSO, X-GitHub-Request-Id, Deprecation, Sunset",
  "content-security-policy": "default-src 'none'",
  "referrer-policy": "origin-when-cross-origin, strict-origin-when-cross-origin",
  "strict-transport-security": "max-age=31536000; includeSubdomains; preload",
  "x-content-type-options": "nosniff",
  "x-frame-options": "deny",
  "x-xss-protection": "0",
  // What Octokit asks for by default; handlers of other media types replace it.
  "x-github-media-type": "github.v3; format=json",
};
