/**
 * One shell command line from an argv, every word single-quoted, so no value (a path
 * with spaces, quotes, `$(...)` or newlines) is ever read as shell syntax. Needed because
 * the e2b SDK runs every command through `bash -l -c`.
 */
export function shellCommand(argv: readonly string[]): string {
  return argv.map(quote).join(" ");
}

function quote(word: string): string {
  // bash cannot receive NUL inside an argument at all; failing is better than truncating.
  if (word.includes("\0")) throw new Error("a shell argument cannot contain a NUL byte");
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
