import { type EnvVarMeta, envSchema } from "./env-schema.js";

/**
 * The configuration reference as a Markdown table, made from the schema Ship parses its
 * environment with, so the docs cannot drift from the code (a test compares the README).
 */
export function renderConfigReference(): string {
  const rows = Object.entries(envSchema.shape).map(([name, field]) => {
    const meta = field.meta() as unknown as EnvVarMeta;
    const shownDefault = meta.default === undefined ? "" : `\`${meta.default}\``;
    const cell = (text: string) => text.replace(/\|/g, "\\|");
    return {
      group: meta.group,
      line: `| \`${name}\` | ${cell(meta.description)} | ${cell(meta.expected)} | ${shownDefault} |`,
    };
  });
  const groups = [...new Set(rows.map((row) => row.group))];
  return groups
    .map((group) =>
      [
        `**${group}**`,
        "",
        "| Variable | What it does | Expected | Default |",
        "| --- | --- | --- | --- |",
        ...rows.filter((row) => row.group === group).map((row) => row.line),
      ].join("\n"),
    )
    .join("\n\n");
}
