/** Longest branch name Ship accepts; git allows more, people never need it. */
const maxLength = 200;

/**
 * True when `name` is a branch name git accepts (`git check-ref-format --branch`) AND
 * is safe to pass to a shell unquoted: only letters, digits, `.`, `_`, `-` and `/`.
 * Ship never builds shell strings from it, but a name that needs quoting is a smell.
 */
export function isValidBranchName(name: string): boolean {
  if (name.length === 0 || name.length > maxLength) return false;
  if (!/^[A-Za-z0-9._/-]+$/.test(name)) return false;
  if (name.startsWith("-") || name.startsWith("/") || name.endsWith("/") || name.endsWith(".")) {
    return false;
  }
  if (name.includes("..") || name.includes("//") || name === "@" || name === "HEAD") return false;
  return name
    .split("/")
    .every((part) => part.length > 0 && !part.startsWith(".") && !part.endsWith(".lock"));
}
