/**
 * A path on Ship only (plain printable ASCII, one leading slash, no `//` or `\`), so no
 * browser reads it as another site: sign-in and sign-out never redirect off Ship.
 * Anything else goes home.
 */
export function safeReturnPath(value: string | null): string {
  if (!value || !/^\/[\x21-\x7e]*$/.test(value) || value.startsWith("//") || value.includes("\\"))
    return "/";
  return value;
}
