import type { Context } from "probot";
import { inTransaction } from "../db/in-transaction.js";
import { type DeliveryRecord, recordDelivery } from "../deliveries/record-delivery.js";
import { sendJob } from "../queue/send-job.js";
import { renderReply } from "../report/render-reply.js";
import { queueRun } from "../runs/queue-run.js";
import { stripHiddenText } from "../text/strip-hidden-text.js";
import type { IngestDependencies } from "./handle-issue-comment.js";
import { mayTrigger } from "./may-trigger.js";
import { parseIssueLabeledTrigger } from "./parse-issue-labeled-trigger.js";
import { type RepositoryRole, readPermission } from "./read-permission.js";

/**
 * `issues.labeled` with Ship's trigger label: the issue itself is the task. The person
 * who added the label must be able to write to the repository (fail closed); the run is
 * theirs. Other labels, and labels added by bots (Ship's own state labels), do nothing.
 */
export function handleIssueLabeled(deps: IngestDependencies & { triggerLabel: string }) {
  return async (context: Context<"issues.labeled">): Promise<void> => {
    const trigger = parseIssueLabeledTrigger(context);
    const base = {
      id: context.id,
      event: "issues.labeled",
      installationId: context.payload.installation?.id,
      repository: context.payload.repository.full_name,
    };
    const ignore = (reason: string) =>
      recordDelivery(deps.pool, { ...base, outcome: "ignored", reason });
    if (!trigger) return void (await ignore("no installation"));
    if (trigger.sender.isBot) return void (await ignore("labeled by a bot"));
    if (trigger.label !== deps.triggerLabel) return void (await ignore("another label"));

    let role: RepositoryRole | undefined;
    try {
      role = await readPermission(context.octokit, trigger.repository, trigger.sender.login);
    } catch (error) {
      deps.log.warn(
        { err: error, sender: trigger.sender.login },
        "permission check failed; denying",
      );
    }
    await inTransaction(deps.pool, async (tx) => {
      const record = (outcome: DeliveryRecord["outcome"], reason?: string) =>
        recordDelivery(tx, { ...base, outcome, ...(reason ? { reason } : {}) });
      if (!role || !mayTrigger(role)) {
        if (!(await record("denied", role ? `role ${role}` : "permission unknown"))) return;
        const answer = role
          ? {
              kind: "denied" as const,
              login: trigger.sender.login,
              repository: trigger.repository.fullName,
            }
          : { kind: "permission_unknown" as const, login: trigger.sender.login };
        await sendJob(
          deps.boss,
          "reply",
          {
            installationId: trigger.installationId,
            owner: trigger.repository.owner,
            repo: trigger.repository.name,
            issueNumber: trigger.thread.number,
            body: renderReply(answer),
          },
          tx,
        );
        return;
      }
      if (!(await record("run"))) return;
      const title = stripHiddenText(trigger.thread.title);
      await queueRun(deps.boss, tx, {
        deliveryId: trigger.deliveryId,
        installationId: trigger.installationId,
        repositoryId: trigger.repository.id,
        repository: trigger.repository.fullName,
        threadNumber: trigger.thread.number,
        trigger: "label",
        requester: { login: trigger.sender.login, id: trigger.sender.id },
        request: {
          task: `Resolve issue #${trigger.thread.number}: ${title}`,
          options: {},
          thread: { title, body: stripHiddenText(trigger.thread.body), isPullRequest: false },
        },
        model: deps.models.default,
      });
    });
  };
}
