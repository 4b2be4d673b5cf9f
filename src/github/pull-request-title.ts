/** A pull request title from a task: its first line, at most 72 characters. */
export function pullRequestTitle(task: string): string {
  const first = task.split("\n")[0]?.trim() ?? "";
  const title = first.charAt(0).toUpperCase() + first.slice(1);
  return title.length <= 72 ? title || "Changes by Ship" : `${title.slice(0, 71).trimEnd()}…`;
}
