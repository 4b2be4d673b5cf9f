import { randomUUID } from "node:crypto";
import type { Sandbox } from "e2b";
import { defangAgentText } from "../report/defang-agent-text.js";
import { runCommand } from "../sandbox/run-command.js";
import type { LeftOutFile } from "./left-out-file.js";
import { shellCommand } from "./shell-command.js";

/** Who a commit is by. */
export interface CommitIdentity {
  name: string;
  email: string;
}

/** The agent's part of a commit message; trailers follow. */
const maxMessageLength = 8_000;

/** GitHub refuses a push with a file over 100 MiB. */
const maxFileMiB = 100;

/**
 * Commits everything the agent changed since `base` (the branch's head on GitHub) as
 * ONE commit with `message`, authored and committed by `author`, with `Co-authored-by`
 * trailers. Commits the agent made by itself are folded in (their content stays, their
 * authorship and messages do not), so the branch only ever holds Ship's commits.
 * Files larger than GitHub takes are left out and reported. Protected paths (CI
 * workflows, `.github/`, the repository's `protectedPaths`) are committed here like any
 * other change: what runs in the sandbox cannot be trusted to leave them out, so
 * `pushSandboxCommits` does, outside. The message is the agent's text, defanged as
 * `recreateCommit` will defang it again (no mentions, closing keywords or live links),
 * so an honest commit keeps its id on GitHub. `sha` is undefined when there is nothing
 * to commit.
 */
export async function commitInSandbox(params: {
  sandbox: Sandbox;
  dir: string;
  base: string;
  message: string;
  author: CommitIdentity;
  coAuthors: CommitIdentity[];
}): Promise<{ sha: string | undefined; files: string[]; leftOut: LeftOutFile[] }> {
  const { sandbox, dir } = params;
  const git = (args: string[], doing: string, envs: Record<string, string> = {}) =>
    runCommand(sandbox, ["git", "-C", dir, ...args], { category: "commit", doing, envs });

  // One round trip for what the commit depends on: fold the agent's own commits in, stage
  // everything, list it, and find files too large for GitHub (a marker between the lists).
  const marker = `ship-${randomUUID()}`;
  const inspect = await runCommand(
    sandbox,
    [
      "bash",
      "-c",
      [
        shellCommand(["git", "-C", dir, "reset", "-q", "--soft", params.base]),
        shellCommand(["git", "-C", dir, "add", "-A"]),
        shellCommand(["git", "-C", dir, "diff", "--cached", "--name-only", "-z"]),
        shellCommand(["printf", "\\0%s\\0", marker]),
        shellCommand(["cd", dir]),
        shellCommand([
          "find",
          ".",
          "-path",
          "./.git",
          "-prune",
          "-o",
          "-type",
          "f",
          "-size",
          `+${maxFileMiB}M`,
          "-print0",
        ]),
      ].join(" && "),
    ],
    { category: "commit", doing: "stage the agent's changes" },
  );
  const split = inspect.indexOf(`\0${marker}\0`);
  if (split < 0) throw new Error("the list of staged files was cut short");
  const staged = inspect.slice(0, split).split("\0").filter(Boolean);
  const large = inspect.slice(split + marker.length + 2);
  const tooLarge = new Set(
    large
      .split("\0")
      .filter(Boolean)
      .map((file) => file.replace(/^\.\//, "")),
  );
  const leftOut: LeftOutFile[] = staged.flatMap((path): LeftOutFile[] =>
    tooLarge.has(path) ? [{ path, why: "too-large" }] : [],
  );
  if (leftOut.length > 0) {
    await git(
      ["reset", "-q", "--", ...leftOut.map((file) => `:(literal)${file.path}`)],
      "leave out files too large for GitHub",
    );
  }
  const files = staged.filter((file) => !leftOut.some((left) => left.path === file));
  if (files.length === 0) return { sha: undefined, files, leftOut };

  const trailers = params.coAuthors.map(
    (person) => `Co-authored-by: ${person.name} <${person.email}>`,
  );
  const message = [
    defangAgentText(params.message.trim(), { maxLength: maxMessageLength, plain: true }) ||
      "Changes by Ship",
    ...(trailers.length ? ["", ...trailers] : []),
  ].join("\n");
  const identity = {
    GIT_AUTHOR_NAME: params.author.name,
    GIT_AUTHOR_EMAIL: params.author.email,
    GIT_COMMITTER_NAME: params.author.name,
    GIT_COMMITTER_EMAIL: params.author.email,
    // UTC dates: the commit Ship re-creates on GitHub then has the same id even if
    // GitHub normalizes time zones.
    TZ: "UTC",
  };
  const sha = (
    await runCommand(
      sandbox,
      [
        "bash",
        "-c",
        `${shellCommand(["git", "-C", dir, "commit", "-q", "--no-verify", "-m", message])} && ${shellCommand(["git", "-C", dir, "rev-parse", "HEAD"])}`,
      ],
      { category: "commit", doing: "commit the agent's changes", envs: identity },
    )
  ).trim();
  return { sha, files, leftOut };
}
