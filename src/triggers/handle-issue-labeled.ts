import type { Context } from "probot";
import { availableModels } from "../config/available-models.js";
import { isAvailableModel } from "../config/is-available-model.js";
import { readRepoConfig } from "../config/read-repo-config.js";
import { runSettings } from "../config/run-settings.js";
import { inTransaction } from "../db/in-transaction.js";
import { claimRefusalReply } from "../deliveries/claim-refusal-reply.js";
import { claimTrigger } from "../deliveries/claim-trigger.js";
import { type DeliveryRecord, recordDelivery } from "../deliveries/record-delivery.js";
import { sendJob } from "../queue/send-job.js";
import { type Reply, renderReply } from "../report/render-reply.js";
import { queueRun } from "../runs/queue-run.js";
import { stripHiddenText } from "../text/strip-hidden-text.js";
import type { IngestDependencies } from "./handle-issue-comment.js";
import { mayTrigger } from "./may-trigger.js";
import { parseIssueLabeledTrigger } from "./parse-issue-labeled-trigger.js";
import { pauseOf } from "./pause-of.js";
import { type RepositoryRole, readPermission } from "./read-permission.js";
import { refusalOf } from "./refusal-of.js";
import { triggerHandled } from "./trigger-handled.js";

/**
 * `issues.labeled` with Ship's trigger label: the issue itself is the task. The person
 * who added the label must be able to write to the repository (fail closed); the run is
 * theirs. Other labels, and labels added by bots (Ship's own state labels), do nothing.
 * Ship takes the label off once it has answered (a run, or why not), so adding it again
 * asks again; the kill switch (SHIP_PAUSED, `paused:`) answers instead of a run.
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
    // The same signed payload again under a new delivery id (a replay): nothing, silently,
    // and before any GitHub call.
    const labelTrigger = {
      kind: "label" as const,
      key: `${trigger.repository.id}#${trigger.thread.number}:${trigger.label}@${trigger.labeledAt}`,
      deliveryId: trigger.deliveryId,
    };
    if (await triggerHandled(deps.pool, labelTrigger)) {
      return void (await ignore("label already handled"));
    }

    // Who it is first: the repository's config is read for people who may trigger only,
    // so anyone else's labels cost Ship one API call at most.
    let role: RepositoryRole | undefined;
    try {
      role = await readPermission(context.octokit, trigger.repository, trigger.sender.login);
    } catch (error) {
      deps.log.warn(
        { err: error, sender: trigger.sender.login },
        "permission check failed; denying",
      );
    }
    const mayAsk = role !== undefined && mayTrigger(role, trigger.sender.login);
    const repoConfig = mayAsk
      ? await readRepoConfig(context.octokit, trigger.repository, deps.log)
      : undefined;
    // Without the config, only Ship's default label is known to be Ship's.
    const label = (repoConfig?.ok ? repoConfig.config.label : undefined) ?? deps.triggerLabel;
    if (trigger.label !== label) return void (await ignore("another label"));
    const policy = repoConfig?.ok ? repoConfig.config : {};

    // Whether Ship answered this label (a run, or why not): then it takes the label off.
    let answered = false;
    await inTransaction(deps.pool, async (tx) => {
      const record = (outcome: DeliveryRecord["outcome"], reason?: string) =>
        recordDelivery(tx, { ...base, outcome, ...(reason ? { reason } : {}) });
      const refuse = async (answer: Reply, outcome: DeliveryRecord["outcome"], reason: string) => {
        if (!(await record(outcome, reason))) return;
        const once = reason === "permission unknown" ? "unverified" : "access";
        if (outcome === "denied" && !(await claimRefusalReply(tx, refusalOf(trigger), once)))
          return;
        const body = renderReply(answer);
        const { owner, name } = trigger.repository;
        const target = {
          installationId: trigger.installationId,
          owner,
          repo: name,
          issueNumber: trigger.thread.number,
        };
        await sendJob(deps.boss, "reply", { ...target, body }, tx);
      };
      // Claimed here, with what it did (two copies at once both got past the first look).
      const claimed = await claimTrigger(tx, labelTrigger);
      if (!claimed) return void (await record("ignored", "label already handled"));
      answered = true;
      if (!role)
        return refuse(
          { kind: "permission_unknown", login: trigger.sender.login },
          "denied",
          "permission unknown",
        );
      if (!mayTrigger(role, trigger.sender.login, policy)) {
        const permission = policy.permission ?? "write";
        const answer: Reply = {
          kind: "denied",
          login: trigger.sender.login,
          repository: trigger.repository.fullName,
          permission,
        };
        return refuse(answer, "denied", `role ${role}`);
      }
      const pause = pauseOf(deps.paused, repoConfig?.ok ? repoConfig.config : undefined);
      if (pause) return refuse(pause, "ignored", "paused");
      if (!repoConfig?.ok)
        return refuse(
          {
            kind: "invalid_config",
            problem: repoConfig?.problem ?? "",
            fileUrl: repoConfig?.fileUrl,
          },
          "ignored",
          "invalid config",
        );
      const model = policy.model ?? deps.models.default;
      if (!isAvailableModel(model, deps.models)) {
        const available = availableModels(deps.models);
        return refuse({ kind: "unknown_model", model, available }, "ignored", "unknown model");
      }
      if (!(await record("run"))) return;
      const title = stripHiddenText(trigger.thread.title);
      // The task is Ship's own words: the title (anyone's) stays inside the untrusted
      // context, never in what the prompt presents as the requester's request.
      await queueRun(deps.boss, tx, {
        deliveryId: trigger.deliveryId,
        installationId: trigger.installationId,
        repositoryId: trigger.repository.id,
        repository: trigger.repository.fullName,
        threadNumber: trigger.thread.number,
        trigger: "label",
        requester: { login: trigger.sender.login, id: trigger.sender.id },
        request: {
          task: `Resolve issue #${trigger.thread.number}, whose title and description are below.`,
          options: {},
          thread: { title, body: stripHiddenText(trigger.thread.body), isPullRequest: false },
          settings: runSettings(policy, deps),
        },
        model,
      });
    });
    if (answered) await removeTriggerLabel(context, trigger, deps);
  };
}

/**
 * Takes the trigger label off the issue, so that adding it again asks again (GitHub
 * sends no `labeled` for a label already there). After the answer is committed: a
 * failure here costs only that, and is logged.
 */
async function removeTriggerLabel(
  context: Context<"issues.labeled">,
  trigger: {
    repository: { owner: string; name: string };
    thread: { number: number };
    label: string;
  },
  deps: Pick<IngestDependencies, "log">,
): Promise<void> {
  try {
    await context.octokit.rest.issues.removeLabel({
      owner: trigger.repository.owner,
      repo: trigger.repository.name,
      issue_number: trigger.thread.number,
      name: trigger.label,
    });
  } catch (error) {
    if ((error as { status?: number }).status !== 404) {
      deps.log.warn(
        { err: error, issue: trigger.thread.number },
        "could not remove the trigger label",
      );
    }
  }
}
