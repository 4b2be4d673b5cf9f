import { codeSpan } from "./code-span.js";
import { defangAgentText } from "./defang-agent-text.js";
import { shipCommentMarker } from "./status-marker.js";

/**
 * Ship's answer in a review thread: what it pushed (with the commit), nothing, or why not.
 * The agent's summary and the error (which may carry sandbox output) are defanged.
 */
export function renderReviewReply(
  outcome:
    | { kind: "pushed"; commitUrl: string; sha: string; branch: string; summary?: string }
    | { kind: "no_changes" }
    | { kind: "failed"; message: string; whatToDo: string; retryable?: boolean },
): string {
  const text = (() => {
    switch (outcome.kind) {
      case "pushed":
        return [
          `Pushed [\`${outcome.sha.slice(0, 7)}\`](${outcome.commitUrl}) to ${codeSpan(outcome.branch, 200)}.`,
          ...(outcome.summary ? ["", defangAgentText(outcome.summary, { maxLength: 4_000 })] : []),
        ].join("\n");
      case "no_changes":
        return "Ship looked at it and changed nothing.";
      case "failed": {
        // The retry is offered only when it can help, and once.
        const retry =
          outcome.retryable && !outcome.whatToDo.includes("`/ship retry`")
            ? " To try again, comment `/ship retry`."
            : "";
        return `❌ ${defangAgentText(outcome.message, { maxLength: 2_000 })}\n\n**What to do:** ${outcome.whatToDo}${retry}`;
      }
    }
  })();
  return `${shipCommentMarker}\n${text}`;
}
