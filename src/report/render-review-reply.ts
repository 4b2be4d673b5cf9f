import { shipCommentMarker } from "./status-marker.js";

/** Ship's answer in a review thread: what it pushed (with the commit), nothing, or why not. */
export function renderReviewReply(
  outcome:
    | { kind: "pushed"; commitUrl: string; sha: string; branch: string; summary?: string }
    | { kind: "no_changes" }
    | { kind: "failed"; message: string; whatToDo: string },
): string {
  const text = (() => {
    switch (outcome.kind) {
      case "pushed":
        return [
          `Pushed [\`${outcome.sha.slice(0, 7)}\`](${outcome.commitUrl}) to \`${outcome.branch}\`.`,
          ...(outcome.summary ? ["", outcome.summary] : []),
        ].join("\n");
      case "no_changes":
        return "Ship looked at it and changed nothing.";
      case "failed":
        return `❌ ${outcome.message}\n\n**What to do:** ${outcome.whatToDo}`;
    }
  })();
  return `${shipCommentMarker}\n${text}`;
}
