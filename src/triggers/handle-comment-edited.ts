import type { Context } from "probot";
import { parseShipCommand } from "../commands/parse-ship-command.js";
import { inTransaction } from "../db/in-transaction.js";
import { claimRefusalReply } from "../deliveries/claim-refusal-reply.js";
import { claimTrigger } from "../deliveries/claim-trigger.js";
import { type DeliveryRecord, recordDelivery } from "../deliveries/record-delivery.js";
import { sendJob } from "../queue/send-job.js";
import { renderReply } from "../report/render-reply.js";
import { shipCommentMarker } from "../report/status-marker.js";
import type { IngestDependencies } from "./handle-issue-comment.js";
import { parseIssueCommentTrigger } from "./parse-issue-comment-trigger.js";
import { parseReviewCommentTrigger } from "./parse-review-comment-trigger.js";
import { type RepositoryRole, readPermission } from "./read-permission.js";
import { refusalOf } from "./refusal-of.js";
import { triggerHandled } from "./trigger-handled.js";

type EditContext = Context<"issue_comment.edited"> | Context<"pull_request_review_comment.edited">;

/**
 * `issue_comment.edited` and `pull_request_review_comment.edited`: an edit never starts
 * a run (a later edit could slip a command under an earlier approval), but an edit that
 * added a `/ship` line gets one line saying so, once per person and thread, instead of
 * silence. Edits of comments that already addressed Ship, and Ship's own, say nothing.
 */
export function handleCommentEdited(deps: IngestDependencies) {
  return async (context: EditContext): Promise<void> => {
    const { payload } = context;
    const onReviewLine = "pull_request" in payload;
    const base: Omit<DeliveryRecord, "outcome"> = {
      id: context.id,
      event: onReviewLine ? "pull_request_review_comment.edited" : "issue_comment.edited",
      installationId: payload.installation?.id,
      repository: payload.repository.full_name,
    };
    const ignore = (reason: string) =>
      recordDelivery(deps.pool, { ...base, outcome: "ignored", reason });
    // The created and the edited payloads carry the same comment, issue and sender.
    const trigger = onReviewLine
      ? parseReviewCommentTrigger(
          context as unknown as Context<"pull_request_review_comment.created">,
        )
      : parseIssueCommentTrigger(context as unknown as Context<"issue_comment.created">);
    if (!trigger) return void (await ignore("no installation"));
    if (trigger.sender.isBot || trigger.comment.body.includes(shipCommentMarker)) {
      return void (await ignore("written by a bot"));
    }
    if (!parseShipCommand(trigger.comment.body))
      return void (await ignore("not addressed to Ship"));
    const before = payload.changes.body?.from;
    if (before === undefined) return void (await ignore("body not edited"));
    if (parseShipCommand(before)) return void (await ignore("edit of a request"));
    // One answer per edit, even when its signed payload comes again under a new id.
    const edit = {
      kind: onReviewLine ? ("review_comment_edit" as const) : ("issue_comment_edit" as const),
      key: `${trigger.comment.id}@${payload.comment.updated_at}`,
      deliveryId: trigger.deliveryId,
    };
    if (await triggerHandled(deps.pool, edit)) return void (await ignore("edit already handled"));

    let role: RepositoryRole | undefined;
    try {
      role = await readPermission(context.octokit, trigger.repository, trigger.sender.login);
    } catch (error) {
      deps.log.warn({ err: error, sender: trigger.sender.login }, "permission check failed");
    }
    await inTransaction(deps.pool, async (tx) => {
      const record = (reason: string) =>
        recordDelivery(tx, { ...base, outcome: "ignored", reason });
      if (!(await claimTrigger(tx, edit))) return void (await record("edit already handled"));
      // Someone who could not ask anyway is not told how to ask again.
      if (role === undefined || role === "none") return void (await record(`edit, role ${role}`));
      if (!(await record("edited comment"))) return;
      if (!(await claimRefusalReply(tx, refusalOf(trigger), "edit"))) return;
      await sendJob(
        deps.boss,
        "reply",
        {
          installationId: trigger.installationId,
          owner: trigger.repository.owner,
          repo: trigger.repository.name,
          issueNumber: trigger.thread.number,
          body: renderReply({ kind: "edit_ignored" }),
        },
        tx,
      );
    });
  };
}
