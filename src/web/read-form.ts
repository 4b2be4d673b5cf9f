import type { IncomingMessage } from "node:http";

/** Longest form body read; Ship's forms post a few signed values. */
const maxBytes = 16_384;

/** A posted `application/x-www-form-urlencoded` form (cut at 16 KB). */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = "";
  for await (const chunk of req) {
    body += chunk;
    if (body.length > maxBytes) break;
  }
  return new URLSearchParams(body);
}
