/**
 * `value` as one inline code span that nothing inside can end early: the fence is one
 * backtick longer than the longest run of backticks in the value, padded with a space
 * when the value starts or ends with one. Whitespace (newlines too) becomes one space,
 * so the span stays on its line, and a value longer than `maxLength` is cut with "…".
 * Inside a span GitHub links nothing and mentions no one, so text Ship did not write
 * (file names, tool input, a model name) can be shown as it is.
 */
export function codeSpan(value: string, maxLength: number): string {
  const line = value.replace(/\s+/g, " ").trim() || "…";
  const short = line.length > maxLength ? `${cutAt(line, maxLength - 1)}…` : line;
  const longestRun = Math.max(0, ...(short.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  const pad = short.startsWith("`") || short.endsWith("`") ? " " : "";
  return `${fence}${pad}${short}${pad}${fence}`;
}

/** The first `length` code units, one fewer rather than half a surrogate pair. */
function cutAt(text: string, length: number): string {
  const code = text.charCodeAt(length - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? length - 1 : length);
}
