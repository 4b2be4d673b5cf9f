/** A person line of a commit, as the Git Data API takes it. */
export interface GitSignature {
  name: string;
  email: string;
  /** ISO 8601 with the original time zone offset, e.g. `2024-03-10T15:04:05+05:30`. */
  date: string;
}

/**
 * Parses a commit object as `git cat-file commit` prints it. The message is kept byte
 * for byte (trailing newline included): any difference changes the commit's id.
 * `extraHeaders` names headers the Git Data API cannot reproduce (`gpgsig`, `encoding`,
 * `mergetag`, ...): a commit with one will get a different id on GitHub.
 */
export function parseRawCommit(raw: string): {
  tree: string;
  parents: string[];
  author: GitSignature;
  committer: GitSignature;
  message: string;
  extraHeaders: string[];
} {
  const split = raw.indexOf("\n\n");
  const head = split < 0 ? raw : raw.slice(0, split);
  const message = split < 0 ? "" : raw.slice(split + 2);
  let tree = "";
  const parents: string[] = [];
  let author: GitSignature | undefined;
  let committer: GitSignature | undefined;
  const extraHeaders: string[] = [];
  for (const line of head.split("\n")) {
    if (line.startsWith(" ")) continue; // continuation of a multi-line header (a signature)
    const space = line.indexOf(" ");
    const key = space < 0 ? line : line.slice(0, space);
    const value = space < 0 ? "" : line.slice(space + 1);
    if (key === "tree") tree = value;
    else if (key === "parent") parents.push(value);
    else if (key === "author") author = parseSignature(value);
    else if (key === "committer") committer = parseSignature(value);
    else extraHeaders.push(key);
  }
  if (!tree || !author || !committer) throw new Error(`not a commit object: ${raw.slice(0, 200)}`);
  return { tree, parents, author, committer, message, extraHeaders };
}

function parseSignature(value: string): GitSignature {
  const match = /^(.*) <([^<>]*)> (-?\d+) ([+-])(\d\d)(\d\d)$/.exec(value);
  if (!match) throw new Error(`unreadable author or committer line: ${value}`);
  const [, name = "", email = "", seconds = "0", sign = "+", hours = "00", minutes = "00"] = match;
  const offsetMinutes = (sign === "-" ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
  // The wall-clock time at that offset, written with the offset: GitHub keeps the
  // offset, and a commit re-created in UTC would get another id.
  const wallClock = new Date((Number(seconds) + offsetMinutes * 60) * 1000);
  const date = `${wallClock.toISOString().slice(0, 19)}${sign}${hours}:${minutes}`;
  return { name, email, date };
}
