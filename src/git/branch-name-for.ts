/**
 * The branch Ship proposes for a task on thread `number`: `ship/<slug>-<number>`, the
 * slug made of the task's first words in lowercase ASCII (always a valid, shell-safe
 * ref name). Accents are dropped, not turned into breaks: "français" is `francais`.
 * A label run passes the title, so its branch reads like the issue.
 */
export function branchNameFor(task: string, number: number, prefix = "ship/"): string {
  const words = task
    .normalize("NFKD")
    // NFKD splits "ç" into "c" and a combining cedilla; the mark alone is no letter.
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/ß/g, "ss")
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .split(" ")
    .filter(Boolean);
  let slug = "";
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word;
    if (next.length > 40) break;
    slug = next;
  }
  return `${prefix}${slug || "task"}-${number}`;
}
