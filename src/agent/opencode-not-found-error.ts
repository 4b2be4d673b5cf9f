/**
 * The sandbox has no `opencode` on PATH, so OpenCode cannot be started there. A
 * distinct class so a caller can react (install it, or pick another template) rather
 * than report a generic start failure.
 */
export class OpencodeNotFoundError extends Error {
  override readonly name = "OpencodeNotFoundError";
}
