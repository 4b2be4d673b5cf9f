import type { InstallationRecord, UserRecord } from "../records.js";
import { renderInstallation } from "../render/render-installation.js";
import { renderUser } from "../render/render-user.js";
import type { Sim } from "../sim.js";
import type { WebhookDelivery } from "../webhooks/webhook-sender.js";

/**
 * Removes an installation as its account would: its tokens stop working at once and the
 * app gets `installation.deleted`.
 */
export function uninstallApp(
  sim: Sim,
  params: { installation: InstallationRecord; sender: UserRecord },
): WebhookDelivery | undefined {
  const { state } = sim;
  const { installation, sender } = params;
  const app = state.app(installation.appId);
  // Rendered first: the payload describes the installation that was removed.
  const example = sim.templates.webhookExample("installation");
  const payload = {
    action: "deleted",
    installation: renderInstallation(
      sim,
      installation,
      example.installation as Record<string, unknown>,
    ),
    repositories: state.installationRepositories(installation).map((repository) => ({
      id: repository.id,
      node_id: repository.nodeId,
      name: repository.name,
      full_name: state.fullName(repository),
      private: repository.private,
    })),
    sender: renderUser(sim, sender, example.sender as Record<string, unknown>),
  };
  state.installations.delete(installation.id);
  for (const [token, record] of state.tokens) {
    if (record.kind === "installation" && record.installationId === installation.id) {
      state.tokens.delete(token);
    }
  }
  if (!app.webhookUrl) return undefined;
  return sim.webhooks.send({
    app,
    event: "installation",
    installationId: installation.id,
    repositoryId: null,
    payload,
  });
}
