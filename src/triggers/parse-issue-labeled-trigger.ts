import type { Context } from "probot";
import type { Trigger } from "./trigger.js";
import { triggerRepositoryOf } from "./trigger-repository-of.js";

/** An `issues.labeled` delivery as a Trigger; undefined without an installation or label. */
export function parseIssueLabeledTrigger(
  context: Context<"issues.labeled">,
): Extract<Trigger, { kind: "label" }> | undefined {
  const { payload } = context;
  if (!payload.installation || !payload.label) return undefined;
  const { repository, issue, sender } = payload;
  return {
    kind: "label",
    label: payload.label.name,
    labeledAt: issue.updated_at,
    deliveryId: context.id,
    installationId: payload.installation.id,
    repository: triggerRepositoryOf(repository),
    sender: { login: sender.login, id: sender.id, isBot: sender.type === "Bot" },
    thread: {
      number: issue.number,
      title: issue.title,
      body: issue.body ?? "",
      isPullRequest: false,
    },
  };
}
