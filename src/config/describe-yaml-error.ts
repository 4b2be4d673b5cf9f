/**
 * What is wrong in a YAML file, as a person fixing it wants it: where (line and column)
 * and what, in one sentence that ends with a full stop. `error` is the parse error the
 * `yaml` package throws (a `YAMLParseError` with `linePos`); the snippet it appends to
 * its message is left out, the line and column say where.
 */
export function describeYamlError(file: string, error: unknown): string {
  const parseError = error as { message?: string; linePos?: Array<{ line: number; col: number }> };
  const what = (parseError.message ?? "")
    .split("\n")[0]
    ?.replace(/ at line \d+, column \d+:?$/, "")
    .trim();
  const at = parseError.linePos?.[0];
  const where = at ? ` at line ${at.line}, column ${at.col}` : "";
  const reason = what ? `: ${what.charAt(0).toLowerCase()}${what.slice(1)}` : "";
  return `${file} is not valid YAML${where}${reason}${/[.!?]$/.test(reason) ? "" : "."}`;
}
