import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/** Encrypts secrets at rest; knows the current key and earlier ones (rotation). */
export interface TokenCipher {
  encrypt(plaintext: string): string;
  decrypt(sealed: string): string;
  /** True when `sealed` was made with an earlier key and should be sealed again. */
  isStale(sealed: string): boolean;
}

/** A key's id: the first bytes of its hash, so it can be named without being revealed. */
function keyId(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 12);
}

/**
 * AES-256-GCM with a fresh 12-byte nonce per value, sealed as
 * `v1.<key id>.<nonce>.<tag>.<ciphertext>` (base64url). Values sealed with an earlier
 * key (listed in `previous`) still open.
 */
export function createTokenCipher(current: Buffer, previous: Buffer[] = []): TokenCipher {
  const currentId = keyId(current);
  const keys = new Map([current, ...previous].map((key) => [keyId(key), key] as const));
  return {
    encrypt(plaintext) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", current, nonce);
      const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      const parts = [nonce, cipher.getAuthTag(), ciphertext].map((b) => b.toString("base64url"));
      return ["v1", currentId, ...parts].join(".");
    },
    decrypt(sealed) {
      const [version, id, nonce, tag, ciphertext] = sealed.split(".");
      const key = id ? keys.get(id) : undefined;
      if (version !== "v1" || !key || !nonce || !tag || ciphertext === undefined) {
        throw new Error(
          "a stored token was sealed with an unknown key (was SHIP_ENCRYPTION_KEY changed?)",
        );
      }
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(nonce, "base64url"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([
        decipher.update(Buffer.from(ciphertext, "base64url")),
        decipher.final(),
      ]).toString("utf8");
    },
    isStale(sealed) {
      return sealed.split(".")[1] !== currentId;
    },
  };
}
