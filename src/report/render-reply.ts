import { phaseNames } from "../web/phase-names.js";
import { codeSpan } from "./code-span.js";
import { defangAgentText } from "./defang-agent-text.js";
import { shipCommentMarker } from "./status-marker.js";

/** A short answer to a `/ship` comment that does not start a run. */
export type Reply =
  | { kind: "help" }
  | { kind: "invalid"; problem: string }
  | {
      kind: "denied";
      login: string;
      repository: string;
      permission?: string;
      /** What they asked for was a command Ship knows (a task, retry, ...): say how it goes. */
      withUsage?: boolean;
    }
  | { kind: "not_allowed"; login: string }
  | { kind: "invalid_config"; problem: string; fileUrl?: string }
  | { kind: "permission_unknown"; login: string }
  | { kind: "nothing_to_retry" }
  /** `/ship retry` after the thread's last run succeeded: what it made, and where to go on. */
  | { kind: "last_run_succeeded"; runId: number; pullRequestNumber?: number }
  /** A new task on an issue whose earlier run's pull request is still open. */
  | { kind: "open_pull_request"; runId: number; pullRequestNumber: number }
  /** The kill switch: SHIP_PAUSED (`by: "operator"`) or `paused:` in `.github/ship.yml`. */
  | { kind: "paused"; by: "operator" | "repository"; reason?: string }
  /** A later `/ship` line of the same comment, not run. */
  | { kind: "another_request" }
  /** An edit that added a `/ship` line: edits are not read. */
  | { kind: "edit_ignored" }
  | { kind: "busy"; runId: number }
  | { kind: "unknown_model"; model: string; available: string[] }
  | {
      kind: "status";
      runId: number;
      state: string;
      phase: string;
      /** Why a failed run failed, in words (or its category). */
      failure?: string;
      commentUrl?: string;
      pullRequestUrl?: string;
    }
  | { kind: "no_run" }
  | { kind: "nothing_to_cancel" }
  | { kind: "no_pull_request" }
  | {
      kind: "ready";
      pullRequestUrl: string;
      /** The pull request's number and whether it was ready before Ship was asked. */
      number?: number;
      alreadyReady?: boolean;
    };

const usage = [
  "**Usage**",
  "- `/ship <task>`: Ship's agent works on the task in a sandbox and opens a draft pull request. The task may continue on the next lines.",
  "- Options before the task: `--model provider/model`, `--branch name`, `--new` (a fresh branch and pull request although the issue has one open).",
  "- `/ship retry`: run the last failed or cancelled request of this thread again; `/ship retry --model provider/model` with another model.",
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
      case "denied": {
        const refusal = `@${reply.login} Ship only takes requests from people with ${reply.permission ?? "write"} access to ${reply.repository}.`;
        return reply.withUsage
          ? `${refusal} Ask a maintainer to comment it for you. \`/ship help\` and \`/ship status\` work for anyone who can read the repository.\n\n${usage}`
          : refusal;
      }
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
      case "last_run_succeeded":
        return reply.pullRequestNumber !== undefined
          ? `Run ${reply.runId} on this thread succeeded (PR #${reply.pullRequestNumber}). \`/ship retry\` repeats a failed or cancelled run; comment \`/ship <instruction>\` on the PR to change it.`
          : `Run ${reply.runId} on this thread succeeded. \`/ship retry\` repeats a failed or cancelled run; comment \`/ship <task>\` to ask for something new.`;
      case "open_pull_request":
        return `PR #${reply.pullRequestNumber} is open from run ${reply.runId}: comment \`/ship <instruction>\` there to change it, or add \`--new\` to start a fresh branch.`;
      case "paused": {
        const reason = reply.reason ? defangAgentText(reply.reason, { maxLength: 500 }) : undefined;
        return reply.by === "operator"
          ? `Ship is paused by the operator${reason ? `: ${withStop(reason)}` : "."} No new runs start until it is resumed.`
          : `Ship is paused in this repository (\`paused:\` in \`.github/ship.yml\`)${reason ? `: ${withStop(reason)}` : "."} No new runs start until it is resumed.`;
      }
      case "another_request":
        return "One request per comment: the second `/ship` line was not run; comment it on its own.";
      case "edit_ignored":
        return "Ship does not pick up edits: comment `/ship …` again as a new comment.";
      case "busy":
        return `Ship run ${reply.runId} is still working on this thread; \`/ship retry\` is for runs that failed or were cancelled.`;
      case "unknown_model":
        return `Ship cannot use the model ${codeSpan(reply.model, 200)}. Available: ${reply.available.map((m) => codeSpan(m, 200)).join(", ")}.`;
      case "status":
        return [
          statusSentence(reply),
          reply.commentUrl ? `Its status comment: ${reply.commentUrl}` : "",
          reply.pullRequestUrl ? `Pull request: ${reply.pullRequestUrl}` : "",
        ]
          .filter(Boolean)
          .join("\n");
      case "no_run":
        return "Ship has not run on this thread yet. Comment `/ship <task>` to start.";
      case "nothing_to_cancel":
        return "No Ship run is queued or running on this thread.";
      case "no_pull_request":
        return "Ship has no pull request on this thread to mark ready.";
      case "ready": {
        const pull = reply.number !== undefined ? `PR #${reply.number}` : reply.pullRequestUrl;
        return reply.alreadyReady
          ? `${pull} is already ready for review.`
          : `${pull} is ready for review.`;
      }
    }
  })();
  return `${shipCommentMarker}\n${text}`;
}

/** A sentence ends with a full stop, unless it already ends with punctuation. */
function withStop(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** A run's state in a plain sentence ("Ship run 1 succeeded."), the phase in words. */
function statusSentence(reply: Extract<Reply, { kind: "status" }>): string {
  const run = `Ship run ${reply.runId}`;
  switch (reply.state) {
    case "succeeded":
      return `${run} succeeded.`;
    case "failed":
      return reply.failure ? `${run} failed (${reply.failure}).` : `${run} failed.`;
    case "cancelled":
      return `${run} was cancelled.`;
    case "queued":
      return `${run} is queued.`;
    case "running": {
      const phase = phaseNames[reply.phase];
      return phase ? `${run} is running: ${phase.toLowerCase()}.` : `${run} is running.`;
    }
    default:
      return `${run} is ${reply.state}.`;
  }
}
