import { defangAgentText } from "./defang-agent-text.js";
import { shipCommentMarker } from "./status-marker.js";

/** The body's last line: the pull request is where changes are asked for. */
const askForChangesLine = "Comment `/ship <instruction>` here to ask for changes.";

/**
 * The pull request's description: what was done, the thread it came from, who asked,
 * and how to ask for more. An issue's pull request says `Fixes #N`, so merging it closes
 * the issue (`closeIssue: false` in `.github/ship.yml` says `Refs #N` instead); a new
 * pull request following up another says which, and closes nothing.
 *
 * It is posted with the acting person's token, so the agent's summary and the quoted task
 * (which may be an issue title anyone wrote) are defanged: apart from Ship's own
 * `Fixes #N`, a pull request that seems to be the maintainer's must mention no one,
 * close no issue on merge and link nowhere but `githubUrl`'s host.
 */
export function renderPullRequestBody(params: {
  summary: string | undefined;
  /** The GitHub Ship works with (`https://github.com`): links there may stay live. */
  githubUrl?: string;
  threadNumber: number;
  requester: string;
  task: string;
  runUrl?: string;
  /** False: `Refs #N` rather than `Fixes #N` (the repository's `closeIssue: false`). */
  closeIssue?: boolean;
  /** Opened as a draft (the default), or ready for review (`draft: false`). */
  draft?: boolean;
  /** Asked for with the label on the issue, not in a comment: there is no task to quote. */
  byLabel?: boolean;
  /** The pull request this one follows up (it was closed, or its branch is in a fork). */
  followsUp?: { number: number; fork: boolean };
}): string {
  const link = params.githubUrl ? { githubUrl: params.githubUrl } : {};
  const thread = params.followsUp
    ? params.followsUp.fork
      ? `Follows up #${params.followsUp.number}, whose branch is in a fork Ship cannot push to, so this branch is in the base repository instead.`
      : `Follows up #${params.followsUp.number}, which was already closed.`
    : `${params.closeIssue === false ? "Refs" : "Fixes"} #${params.threadNumber}`;
  const asked = params.byLabel
    ? [`Asked by @${params.requester}, who labeled #${params.threadNumber} for Ship.`]
    : [
        `Asked by @${params.requester}:`,
        "",
        ...defangAgentText(params.task, { maxLength: 4_000, ...link })
          .split("\n")
          .map((line) => `> ${line}`),
      ];
  const opened = params.draft === false ? "Opened by Ship" : "Opened as a draft by Ship";
  return [
    shipCommentMarker,
    defangAgentText(params.summary?.trim() || "Changes made by Ship's agent.", {
      maxLength: 8_000,
      ...link,
    }),
    "",
    thread,
    "",
    ...asked,
    "",
    `<sub>${opened}${params.runUrl ? ` · [run log](${params.runUrl})` : ""}.</sub>`,
    "",
    askForChangesLine,
  ].join("\n");
}
