import { createHmac, timingSafeEqual } from "node:crypto";

/** Who is signed in to Ship's pages, as carried in a signed cookie. */
export interface Session {
  userId: number;
  login: string;
}

/** Signs and checks short-lived values (sessions, links) with a key of Ship's. */
export interface SessionSigner {
  sign(value: string, ttlMs: number): string;
  /** The value, if the signature is Ship's and it has not expired. */
  verify(signed: string): string | undefined;
  /**
   * The cookies Ship's pages sign in with, and whether they are `Secure`. Every page reads
   * and writes them through the signer it is given, so one name is in force per process.
   */
  cookies: { session: string; state: string; flash: string; secure: boolean };
}

/**
 * HMAC-SHA256 over `value.expiry`, base64url: tamper-proof and expiring, not secret.
 * The key is derived from the encryption key, so no extra setting is needed.
 * `secure` (Ship is reached over https): cookies are `Secure` and `__Host-` prefixed, so
 * neither plain http nor a sibling subdomain can set or overwrite them. Over http (the
 * local world) a browser would drop such cookies, so they keep their plain names.
 */
export function createSessionSigner(
  key: Buffer,
  options: { secure?: boolean } = {},
): SessionSigner {
  const prefix = options.secure ? "__Host-" : "";
  const mac = (data: string) =>
    createHmac("sha256", key).update(`ship-signed:${data}`).digest("base64url");
  return {
    cookies: {
      session: `${prefix}ship_session`,
      state: `${prefix}ship_oauth`,
      flash: `${prefix}ship_flash`,
      secure: options.secure === true,
    },
    sign(value, ttlMs) {
      const data = `${Buffer.from(value).toString("base64url")}.${Date.now() + ttlMs}`;
      return `${data}.${mac(data)}`;
    },
    verify(signed) {
      const [value, expiry, signature] = signed.split(".");
      if (!value || !expiry || !signature) return undefined;
      const expected = Buffer.from(mac(`${value}.${expiry}`));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
      if (Number(expiry) < Date.now()) return undefined;
      return Buffer.from(value, "base64url").toString();
    },
  };
}
