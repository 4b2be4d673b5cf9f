import type { IncomingMessage } from "node:http";
import { parseCookie } from "cookie";
import type { Session, SessionSigner } from "./create-session-signer.js";

/**
 * Who is signed in to Ship's pages (a valid, unexpired session cookie under the name in
 * force, see `SessionSigner.cookies`), if anyone.
 */
export function readSession(req: IncomingMessage, signer: SessionSigner): Session | undefined {
  const value = signer.verify(parseCookie(req.headers.cookie ?? "")[signer.cookies.session] ?? "");
  return value?.startsWith("session:")
    ? (JSON.parse(value.slice("session:".length)) as Session)
    : undefined;
}
