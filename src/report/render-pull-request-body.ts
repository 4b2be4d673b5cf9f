import { defangAgentText } from "./defang-agent-text.js";
import { shipCommentMarker } from "./status-marker.js";

/**
 * The draft pull request's description: what was done, the thread it refers to, who asked.
 * It is posted with the acting person's token, so the agent's summary and the quoted task
 * (which may be an issue title anyone wrote) are defanged: a pull request that seems to
 * be the maintainer's must mention no one, close no issue on merge and link nowhere but
 * `githubUrl`'s host.
 */
export function renderPullRequestBody(params: {
  summary: string | undefined;
  /** The GitHub Ship works with (`https://github.com`): links there may stay live. */
  githubUrl?: string;
  threadNumber: number;
  requester: string;
  task: string;
  runUrl?: string;
  /** The pull request this one follows up (it was closed, or its branch is in a fork). */
  followsUp?: { number: number; fork: boolean };
}): string {
  const link = params.githubUrl ? { githubUrl: params.githubUrl } : {};
  return [
    shipCommentMarker,
    defangAgentText(params.summary?.trim() || "Changes made by Ship's agent.", {
      maxLength: 8_000,
      ...link,
    }),
    "",
    `Refs #${params.threadNumber}`,
    ...(params.followsUp
      ? [
          "",
          params.followsUp.fork
            ? `Follows up #${params.followsUp.number}, whose branch is in a fork Ship cannot push to, so this branch is in the base repository instead.`
            : `Follows up #${params.followsUp.number}, which was already closed.`,
        ]
      : []),
    "",
    `Asked by @${params.requester}:`,
    "",
    ...defangAgentText(params.task, { maxLength: 4_000, ...link })
      .split("\n")
      .map((line) => `> ${line}`),
    "",
    `<sub>Opened as a draft by Ship${params.runUrl ? ` · [run log](${params.runUrl})` : ""}. Review it like any other pull request.</sub>`,
  ].join("\n");
}
