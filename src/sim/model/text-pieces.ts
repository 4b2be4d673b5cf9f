/**
 * Splits `text` into pieces of `size` code points (never inside a surrogate pair), as
 * streamed deltas arrive: a client that does not join deltas fails on them.
 */
export function textPieces(text: string, size: number): string[] {
  const codePoints = Array.from(text);
  const result: string[] = [];
  for (let start = 0; start < codePoints.length; start += size) {
    result.push(codePoints.slice(start, start + size).join(""));
  }
  return result;
}
