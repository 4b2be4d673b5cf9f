import { shipCommentMarker } from "./status-marker.js";

/** The draft pull request's description: what was done, the thread it refers to, who asked. */
export function renderPullRequestBody(params: {
  summary: string | undefined;
  threadNumber: number;
  requester: string;
  task: string;
  runUrl?: string;
}): string {
  return [
    shipCommentMarker,
    params.summary?.trim() || "Changes made by Ship's agent.",
    "",
    `Refs #${params.threadNumber}`,
    "",
    `Asked by @${params.requester}:`,
    "",
    ...params.task.split("\n").map((line) => `> ${line}`),
    "",
    `<sub>Opened as a draft by Ship${params.runUrl ? ` · [run log](${params.runUrl})` : ""}. Review it like any other pull request.</sub>`,
  ].join("\n");
}
