import type { Context } from "probot";
import type { Trigger } from "./trigger.js";

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
    deliveryId: context.id,
    installationId: payload.installation.id,
    repository: {
      id: repository.id,
      owner: repository.owner.login,
      name: repository.name,
      fullName: repository.full_name,
      defaultBranch: repository.default_branch,
    },
    sender: { login: sender.login, id: sender.id, isBot: sender.type === "Bot" },
    thread: {
      number: issue.number,
      title: issue.title,
      body: issue.body ?? "",
      isPullRequest: false,
    },
  };
}
