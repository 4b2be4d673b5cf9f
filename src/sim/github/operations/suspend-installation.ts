import type { InstallationRecord, UserRecord } from "../records.js";
import { renderInstallation } from "../render/render-installation.js";
import { renderUser } from "../render/render-user.js";
import type { Sim } from "../sim.js";
import type { WebhookDelivery } from "../webhooks/webhook-sender.js";

/**
 * Suspends an installation as an account owner (or GitHub) would: no new tokens, the
 * ones out there stop working (403), and the app gets `installation.suspend`.
 */
export function suspendInstallation(
  sim: Sim,
  params: { installation: InstallationRecord; sender: UserRecord },
): WebhookDelivery | undefined {
  const { state } = sim;
  const { installation, sender } = params;
  installation.suspendedAt = new Date(sim.clock.now()).toISOString();
  installation.updatedAt = installation.suspendedAt;
  const app = state.app(installation.appId);
  const example = sim.templates.webhookExample("installation");
  const payload = {
    action: "suspend",
    installation: renderInstallation(
      sim,
      installation,
      example.installation as Record<string, unknown>,
    ),
    sender: renderUser(sim, sender, example.sender as Record<string, unknown>),
  };
  if (!app.webhookUrl) return undefined;
  return sim.webhooks.send({
    app,
    event: "installation",
    installationId: installation.id,
    repositoryId: null,
    payload,
  });
}
