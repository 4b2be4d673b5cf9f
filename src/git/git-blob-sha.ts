import { createHash } from "node:crypto";

/** The object id git gives `bytes` as a blob (SHA-1 of `blob <size>\0<bytes>`). */
export function gitBlobSha(bytes: Uint8Array): string {
  return createHash("sha1").update(`blob ${bytes.byteLength}\0`).update(bytes).digest("hex");
}
