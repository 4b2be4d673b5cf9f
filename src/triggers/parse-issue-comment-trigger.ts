import type { Context } from "probot";
import type { Trigger } from "./trigger.js";
import { triggerRepositoryOf } from "./trigger-repository-of.js";

/**
 * An `issue_comment.created` delivery as a Trigger; undefined when it cannot concern
 * Ship (no installation). Comments on pull requests arrive here too (`isPullRequest`).
 */
export function parseIssueCommentTrigger(
  context: Context<"issue_comment.created">,
): Extract<Trigger, { kind: "issue_comment" }> | undefined {
  const { payload } = context;
  if (!payload.installation) return undefined;
  const { repository, issue, comment, sender } = payload;
  return {
    kind: "issue_comment",
    deliveryId: context.id,
    installationId: payload.installation.id,
    repository: triggerRepositoryOf(repository),
    sender: {
      login: sender.login,
      id: sender.id,
      isBot: sender.type === "Bot" || comment.performed_via_github_app != null,
    },
    thread: {
      number: issue.number,
      title: issue.title,
      body: issue.body ?? "",
      isPullRequest: issue.pull_request != null,
    },
    comment: { id: comment.id, body: comment.body },
  };
}
