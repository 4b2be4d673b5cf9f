import { shipCommentMarker } from "./status-marker.js";

/** The draft pull request's description: what was done, the thread it refers to, who asked. */
export function renderPullRequestBody(params: {
  summary: string | undefined;
  threadNumber: number;
  requester: string;
  task: string;
  runUrl?: string;
  /** The pull request this one follows up (it was closed, or its branch is in a fork). */
  followsUp?: { number: number; fork: boolean };
}): string {
  return [
    shipCommentMarker,
    params.summary?.trim() || "Changes made by Ship's agent.",
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
    ...params.task.split("\n").map((line) => `> ${line}`),
    "",
    `<sub>Opened as a draft by Ship${params.runUrl ? ` · [run log](${params.runUrl})` : ""}. Review it like any other pull request.</sub>`,
  ].join("\n");
}
