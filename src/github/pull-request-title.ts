import { defangAgentText } from "../report/defang-agent-text.js";

/**
 * A pull request title from what was asked: its first line, capitalized, at most 72
 * characters. A label run passes the title, which anyone may have written, as
 * `untrusted`: it is defanged (no mention, no closing keyword, no live URL), because a
 * squash merge makes the title a commit message on the default branch, where
 * `Fixes #3` would close issue 3. `inProgress` is the title while Ship is still at work
 * ("[WIP] …", as Copilot's agent does); a successful run drops the mark.
 */
export function pullRequestTitle(
  text: string,
  options: { untrusted?: boolean; inProgress?: boolean } = {},
): string {
  const line = text.split("\n")[0]?.trim() ?? "";
  const first = options.untrusted
    ? defangAgentText(line, { maxLength: 1_000, plain: true, oneLine: true })
    : line;
  const capitalized = first.charAt(0).toUpperCase() + first.slice(1);
  const title =
    capitalized.length <= 72
      ? capitalized || "Changes by Ship"
      : `${capitalized.slice(0, 71).trimEnd()}…`;
  return options.inProgress ? `[WIP] ${title}` : title;
}
