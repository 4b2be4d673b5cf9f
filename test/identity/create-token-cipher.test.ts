import { randomBytes } from "node:crypto";
import { createTokenCipher } from "../../src/identity/create-token-cipher.js";

describe("createTokenCipher", () => {
  const key = randomBytes(32);

  it("seals so the token is not readable, and opens it again", () => {
    const cipher = createTokenCipher(key);
    const sealed = cipher.encrypt("ghu_secret-token");
    expect(sealed).not.toContain("ghu_secret-token");
    expect(sealed).toMatch(/^v1\.[0-9a-f]{12}\./);
    expect(cipher.encrypt("ghu_secret-token")).not.toBe(sealed); // a fresh nonce each time
    expect(cipher.decrypt(sealed)).toBe("ghu_secret-token");
  });

  it("refuses a tampered value", () => {
    const cipher = createTokenCipher(key);
    const parts = cipher.encrypt("ghu_secret-token").split(".");
    const body = Buffer.from(parts[4] as string, "base64url");
    body[0] = (body[0] as number) ^ 1;
    parts[4] = body.toString("base64url");
    expect(() => cipher.decrypt(parts.join("."))).toThrow();
  });

  it("reads values sealed with a previous key and says they are stale", () => {
    const old = createTokenCipher(key);
    const sealed = old.encrypt("ghu_old");
    const rotated = createTokenCipher(randomBytes(32), [key]);
    expect(rotated.decrypt(sealed)).toBe("ghu_old");
    expect(rotated.isStale(sealed)).toBe(true);
    expect(rotated.isStale(rotated.encrypt("ghu_new"))).toBe(false);
    expect(() => createTokenCipher(randomBytes(32)).decrypt(sealed)).toThrow(/unknown key/);
  });
});
