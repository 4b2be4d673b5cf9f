import { codeSpan } from "./code-span.js";
import { defangAgentText } from "./defang-agent-text.js";
import { shipCommentMarker } from "./status-marker.js";

/** A short answer to a `/ship` comment that does not start a run. */
export type Reply =
  | { kind: "help" }
  | { kind: "invalid"; problem: string }
  | { kind: "denied"; login: string; repository: string; permission?: string }
  | { kind: "not_allowed"; login: string }
  | { kind: "invalid_config"; problem: string; fileUrl?: string }
  | { kind: "permission_unknown"; login: string }
  | { kind: "nothing_to_retry" }
  | { kind: "busy"; runId: number }
  | { kind: "unknown_model"; model: string; available: string[] }
  | {
      kind: "status";
      runId: number;
      state: string;
      phase: string;
      commentUrl?: string;
      pullRequestUrl?: string;
    }
  | { kind: "no_run" }
  | { kind: "cancelling"; runId: number }
  | { kind: "nothing_to_cancel" }
  | { kind: "no_pull_request" }
  | { kind: "ready"; pullRequestUrl: string };

const usage = [
  "**Usage**",
  "- `/ship <task>`: Ship's agent works on the task in a sandbox and opens a draft pull request. The task may continue on the next lines.",
  "- Options before the task: `--model provider/model`, `--branch name`.",
  "- `/ship retry`: run the last failed or cancelled request of this thread again.",
  "- `/ship status`: the thread's current or last run. `/ship cancel`: stop it.",
  "- `/ship ready`: mark the thread's draft pull request ready for review.",
  "- `/ship help`: this message.",
].join("\n");

/**
 * The text of a reply; every reply carries Ship's marker so Ship never answers itself.
 * What echoes someone else's text (a parse problem quoting the comment, a config error
 * quoting the file, a model name) is defanged or shown as code; the `@login` of the
 * person Ship answers is Ship's own.
 */
export function renderReply(reply: Reply): string {
  const text = (() => {
    switch (reply.kind) {
      case "help":
        return usage;
      case "invalid":
        return `${defangAgentText(reply.problem, { maxLength: 1_000 })}\n\n${usage}`;
      case "denied":
        return `@${reply.login} Ship only takes requests from people with ${reply.permission ?? "write"} access to ${reply.repository}.`;
      case "not_allowed":
        return `@${reply.login} this repository's \`.github/ship.yml\` lets only the people on its \`allow\` list start Ship.`;
      case "invalid_config":
        // The problem quotes the repository's file (defanged); the link is Ship's own.
        return reply.fileUrl
          ? `Ship did not start: ${defangAgentText(reply.problem, { maxLength: 1_000 })}\n\nFix [the file](${reply.fileUrl}) on the default branch, then ask again.`
          : `Ship did not start: ${defangAgentText(reply.problem, { maxLength: 1_000 })} Fix the file on the default branch, then ask again.`;
      case "permission_unknown":
        return `@${reply.login} Ship could not verify your permission on this repository with GitHub, so it did not start. Please try again in a minute.`;
      case "nothing_to_retry":
        return "There is no failed or cancelled Ship run on this thread to retry.";
      case "busy":
        return `Ship run ${reply.runId} is still working on this thread; \`/ship retry\` is for runs that failed or were cancelled.`;
      case "unknown_model":
        return `Ship cannot use the model ${codeSpan(reply.model, 200)}. Available: ${reply.available.map((m) => codeSpan(m, 200)).join(", ")}.`;
      case "status":
        return [
          `Ship run ${reply.runId} is **${reply.state}**${reply.state === "running" ? ` (${reply.phase})` : ""}.`,
          reply.commentUrl ? `Its status comment: ${reply.commentUrl}` : "",
          reply.pullRequestUrl ? `Pull request: ${reply.pullRequestUrl}` : "",
        ]
          .filter(Boolean)
          .join("\n");
      case "no_run":
        return "Ship has not run on this thread yet. Comment `/ship <task>` to start.";
      case "cancelling":
        return `Cancelling Ship run ${reply.runId}: its sandbox is being stopped and nothing more will be pushed.`;
      case "nothing_to_cancel":
        return "No Ship run is queued or running on this thread.";
      case "no_pull_request":
        return "Ship has no pull request on this thread to mark ready.";
      case "ready":
        return `${reply.pullRequestUrl} is ready for review.`;
    }
  })();
  return `${shipCommentMarker}\n${text}`;
}
