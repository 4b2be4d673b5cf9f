/**
 * Settings as a file both `source` (POSIX shells) and dotenv read: one `KEY='value'`
 * per line, single quotes escaped the shell way.
 */
export function formatEnvFile(env: Record<string, string>, header = ""): string {
  const lines = Object.entries(env).map(
    ([key, value]) => `${key}='${value.replace(/'/g, `'\\''`)}'`,
  );
  return `${header}${lines.join("\n")}\n`;
}
