import { stringifySetCookie } from "cookie";
import type { SessionSigner } from "./create-session-signer.js";

/**
 * A `Set-Cookie` for one of Ship's cookies: HttpOnly, SameSite=Lax, Path=/ and no Domain,
 * as the `__Host-` prefix requires; `Secure` when Ship is on https. Max-Age 0 clears it.
 */
export function shipCookie(
  signer: SessionSigner,
  kind: "session" | "state" | "flash",
  value: string,
  maxAgeSeconds: number,
): string {
  return stringifySetCookie(signer.cookies[kind], value, {
    httpOnly: true,
    secure: signer.cookies.secure,
    sameSite: "lax",
    path: "/",
    maxAge: maxAgeSeconds,
  });
}
