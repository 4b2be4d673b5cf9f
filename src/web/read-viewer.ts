import type { IncomingMessage, ServerResponse } from "node:http";
import { parseCookie } from "cookie";
import type { Session, SessionSigner } from "./create-session-signer.js";
import { readSession } from "./read-session.js";
import { shipCookie } from "./ship-cookie.js";

/** Who is looking at a page, and a one-time notice for them ("You are signed in as @bob…"). */
export interface Viewer {
  session?: Session;
  flash?: string;
}

/**
 * The signed-in person (if any) and the flash Ship left for them when they signed in or
 * out. The flash is shown once: reading it clears its cookie on `res` (before the page's
 * headers are written), so a reload no longer shows it.
 */
export function readViewer(
  req: IncomingMessage,
  res: ServerResponse,
  signer: SessionSigner,
): Viewer {
  const session = readSession(req, signer);
  const signed = parseCookie(req.headers.cookie ?? "")[signer.cookies.flash];
  if (signed === undefined) return session ? { session } : {};
  res.appendHeader("set-cookie", shipCookie(signer, "flash", "", 0));
  const value = signer.verify(signed);
  const flash = value?.startsWith("flash:") ? value.slice("flash:".length) : undefined;
  return { ...(session ? { session } : {}), ...(flash ? { flash } : {}) };
}
