import type { z } from "zod";
import { closestName } from "./closest-name.js";

/**
 * Every problem zod found in a config file, one sentence each, in the file's order of
 * keys: an unknown key with the known one it most likely meant ("did you mean
 * `timeout`?"), a bad value with what was found and what is expected (the key's
 * `expected` meta). All of them at once, so one edit can fix the file.
 */
export function describeConfigIssues(params: {
  issues: readonly z.core.$ZodIssue[];
  settings: Record<string, unknown>;
  shape: Record<string, z.ZodType>;
}): string[] {
  const { issues, settings, shape } = params;
  const known = Object.keys(shape);
  const byKey = new Map<string, string>();
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const meant = closestName(key, known);
        byKey.set(
          key,
          meant
            ? `\`${key}\` is not a setting Ship knows; did you mean \`${meant}\`?`
            : `\`${key}\` is not a setting Ship knows (known: ${known.map((k) => `\`${k}\``).join(", ")}).`,
        );
      }
      continue;
    }
    const key = issue.path.map(String).join(".");
    const top = String(issue.path[0] ?? "");
    if (byKey.has(top)) continue; // one sentence per key: a union reports each branch
    const found = JSON.stringify(
      issue.path.reduce<unknown>(
        (value, part) => (value as Record<PropertyKey, unknown> | undefined)?.[part as string],
        settings,
      ),
    );
    const expected =
      (shape[top]?.meta() as { expected?: string } | undefined)?.expected ?? issue.message;
    byKey.set(top, `\`${key}\` is ${found ?? "empty"}; expected ${expected}.`);
  }
  const order = Object.keys(settings);
  return [...byKey.entries()]
    .sort(([a], [b]) => order.indexOf(a.split(".")[0] ?? a) - order.indexOf(b.split(".")[0] ?? b))
    .map(([, sentence]) => sentence);
}
