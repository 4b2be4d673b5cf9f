import type { AppRecord, UserRecord } from "../records.js";
import { renderUser } from "../render/render-user.js";
import type { Sim } from "../sim.js";
import type { WebhookDelivery } from "../webhooks/webhook-sender.js";

/**
 * A user revokes their authorization of an app (Settings > Applications, or the app
 * deleting its grant): every user token and refresh token of that pair stops working
 * and the app gets `github_app_authorization.revoked`.
 */
export function revokeUserAuthorization(
  sim: Sim,
  params: { app: AppRecord; user: UserRecord },
): WebhookDelivery | undefined {
  const { state } = sim;
  const { app, user } = params;
  state.authorizations.delete(`${app.id}:${user.id}`);
  for (const [token, record] of state.tokens) {
    if (record.kind === "user-to-server" && record.appId === app.id && record.userId === user.id) {
      state.tokens.delete(token);
    }
  }
  for (const [token, record] of state.refreshTokens) {
    if (record.appId === app.id && record.userId === user.id) state.refreshTokens.delete(token);
  }
  if (!app.webhookUrl) return undefined;
  const example = sim.templates.webhookExample("github_app_authorization");
  return sim.webhooks.send({
    app,
    event: "github_app_authorization",
    installationId: null,
    repositoryId: null,
    payload: {
      action: "revoked",
      sender: renderUser(sim, user, example.sender as Record<string, unknown>),
    },
  });
}
