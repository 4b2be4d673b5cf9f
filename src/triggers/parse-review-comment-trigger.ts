import type { Context } from "probot";
import type { Trigger } from "./trigger.js";
import { triggerRepositoryOf } from "./trigger-repository-of.js";

/**
 * A `pull_request_review_comment.created` delivery as a comment Trigger on the pull
 * request's thread, with the diff line it sits on.
 */
export function parseReviewCommentTrigger(
  context: Context<"pull_request_review_comment.created">,
): Extract<Trigger, { kind: "issue_comment" }> | undefined {
  const { payload } = context;
  if (!payload.installation) return undefined;
  const { repository, pull_request: pull, comment, sender } = payload;
  return {
    kind: "issue_comment",
    deliveryId: context.id,
    installationId: payload.installation.id,
    repository: triggerRepositoryOf(repository),
    sender: {
      login: sender.login,
      id: sender.id,
      // A review comment posted through an app (Ship's own included) is a bot's too.
      isBot:
        sender.type === "Bot" ||
        (comment as { performed_via_github_app?: unknown }).performed_via_github_app != null,
    },
    thread: { number: pull.number, title: pull.title, body: pull.body ?? "", isPullRequest: true },
    comment: { id: comment.id, body: comment.body },
    reviewLine: {
      path: comment.path,
      line: comment.line ?? null,
      startLine: comment.start_line ?? null,
      diffHunk: comment.diff_hunk,
    },
  };
}
