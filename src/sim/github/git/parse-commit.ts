import type { CommitInfo } from "./commit-info.js";

/** A raw commit object (as `git cat-file commit` prints it) in the REST API's terms. */
export function parseCommit(sha: string, text: string): CommitInfo {
  const split = text.indexOf("\n\n");
  const headers = (split < 0 ? text : text.slice(0, split)).split("\n");
  const info: CommitInfo = {
    sha,
    tree: "",
    parents: [],
    author: { name: "", email: "", date: "" },
    committer: { name: "", email: "", date: "" },
    message: split < 0 ? "" : text.slice(split + 2),
  };
  for (const line of headers) {
    const space = line.indexOf(" ");
    const key = line.slice(0, space);
    const value = line.slice(space + 1);
    if (key === "tree") info.tree = value;
    else if (key === "parent") info.parents.push(value);
    else if (key === "author" || key === "committer") info[key] = parseSignature(value);
  }
  return info;
}

function parseSignature(value: string): { name: string; email: string; date: string } {
  const match = /^(.*) <([^>]*)> (\d+) [+-]\d{4}$/.exec(value);
  if (!match) return { name: value, email: "", date: new Date(0).toISOString() };
  const date = `${new Date(Number(match[3]) * 1000).toISOString().slice(0, 19)}Z`;
  return { name: match[1] as string, email: match[2] as string, date };
}
