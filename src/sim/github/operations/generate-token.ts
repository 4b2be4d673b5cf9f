import { randomBytes } from "node:crypto";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A token shaped like GitHub's: a kind prefix (`ghs`, `ghu`, `ghr`, `ghp`) and 36 characters. */
export function generateToken(prefix: "ghs" | "ghu" | "ghr" | "ghp"): string {
  const bytes = randomBytes(36);
  let body = "";
  for (const byte of bytes) body += ALPHABET[byte % ALPHABET.length];
  return `${prefix}_${body}`;
}
