/**
 * Points an example's URL fields at another object: every top-level string that starts
 * with one of the `from` prefixes (the example's own `url`, `html_url`, ...) gets the
 * matching `to` prefix. Nested objects are left alone; their own renderer handles them.
 */
export function retarget(
  target: Record<string, unknown>,
  pairs: ReadonlyArray<readonly [from: string, to: string]>,
): void {
  // Longest first, so `/repos/a/b/issues` is not rewritten by the `/repos/a/b` rule only.
  const sorted = [...pairs].filter(([from]) => from).sort(([a], [b]) => b.length - a.length);
  for (const [key, value] of Object.entries(target)) {
    if (typeof value !== "string") continue;
    for (const [from, to] of sorted) {
      if (value === from || value.startsWith(from)) {
        const rest = value.slice(from.length);
        // A prefix must end at a path, query or template boundary, never mid-name.
        if (rest === "" || "/?{#.".includes(rest[0] as string)) {
          target[key] = to + rest;
          break;
        }
      }
    }
  }
}
