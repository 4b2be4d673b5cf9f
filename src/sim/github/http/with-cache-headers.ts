import { createHash } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

const VARY_CONTENT = "Accept, Authorization, Cookie, X-GitHub-OTP";
const VARY_ALWAYS = "Accept-Encoding, Accept, X-Requested-With";

/**
 * GitHub's caching headers for one REST answer, and whether it becomes a 304. As in
 * Octokit's recordings: a 2xx with a body carries `etag` (a hash of the body unless the
 * handler names one, e.g. a blob sha), `cache-control` and a second `vary`; a GET of one
 * object carries `last-modified` (its `updated_at` unless the handler gives one); errors
 * and 204s carry neither. `If-None-Match` (or, without it, `If-Modified-Since`) that
 * still matches turns a GET's 200 into a 304 with no body.
 */
export function withCacheHeaders(params: {
  method: string;
  requestHeaders: IncomingHttpHeaders;
  status: number;
  /** The bytes that would be sent; undefined for none. */
  body: Buffer | undefined;
  /** The JSON sent, to read `updated_at` from. */
  json: unknown;
  headers: Record<string, string | string[]>;
  authenticated: boolean;
}): { headers: Record<string, string | string[]>; notModified: boolean } {
  const { method, requestHeaders, status, body, json } = params;
  const headers: Record<string, string | string[]> = { ...params.headers };
  if (status < 200 || status >= 300 || !body || body.length === 0) {
    headers.vary = VARY_ALWAYS;
    return { headers, notModified: false };
  }
  const given = params.headers.etag;
  const etag =
    typeof given === "string" ? given : `"${createHash("sha256").update(body).digest("hex")}"`;
  headers.etag = etag;
  headers["cache-control"] ??= params.authenticated
    ? "private, max-age=60, s-maxage=60"
    : "public, max-age=60, s-maxage=60";
  headers.vary = [VARY_CONTENT, VARY_ALWAYS];
  const reading = method === "GET" || method === "HEAD";
  const updatedAt = (json as { updated_at?: unknown } | null)?.updated_at;
  if (
    reading &&
    headers["last-modified"] === undefined &&
    json &&
    !Array.isArray(json) &&
    typeof updatedAt === "string"
  ) {
    headers["last-modified"] = new Date(updatedAt).toUTCString();
  }
  if (!reading || status !== 200) return { headers, notModified: false };
  const lastModified = headers["last-modified"];
  return {
    headers,
    notModified: stillFresh(
      requestHeaders,
      etag,
      typeof lastModified === "string" ? lastModified : undefined,
    ),
  };
}

/** RFC 9110 §13.1: If-None-Match (weak comparison) wins over If-Modified-Since. */
function stillFresh(
  requestHeaders: IncomingHttpHeaders,
  etag: string,
  lastModified: string | undefined,
): boolean {
  const ifNoneMatch = requestHeaders["if-none-match"];
  if (ifNoneMatch !== undefined) {
    const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
    return ifNoneMatch
      .split(",")
      .some((candidate) => candidate.trim() === "*" || opaque(candidate) === opaque(etag));
  }
  const ifModifiedSince = requestHeaders["if-modified-since"];
  if (ifModifiedSince === undefined || lastModified === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && Date.parse(lastModified) <= since;
}
