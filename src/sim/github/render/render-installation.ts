import type { InstallationRecord } from "../records.js";
import type { Sim } from "../sim.js";
import { renderUser } from "./render-user.js";

/** An installation (REST, and the full object in `installation.*` webhooks). */
export function renderInstallation(
  sim: Sim,
  installation: InstallationRecord,
  template: Record<string, unknown> = sim.templates.example("installation"),
): Record<string, unknown> {
  const out = structuredClone(template);
  const { state } = sim;
  const app = state.app(installation.appId);
  const account = state.user(installation.accountId);
  const settings =
    account.type === "Organization"
      ? `${sim.urls.web}/organizations/${account.login}/settings/installations/${installation.id}`
      : `${sim.urls.web}/settings/installations/${installation.id}`;
  Object.assign(out, {
    id: installation.id,
    account: renderUser(sim, account, template.account as Record<string, unknown>),
    repository_selection: installation.repositorySelection,
    access_tokens_url: `${sim.urls.api}/app/installations/${installation.id}/access_tokens`,
    repositories_url: `${sim.urls.api}/installation/repositories`,
    html_url: settings,
    app_id: app.id,
    app_slug: app.slug,
    client_id: app.clientId,
    target_id: account.id,
    target_type: account.type === "Organization" ? "Organization" : "User",
    permissions: { ...installation.permissions },
    events: [...installation.events],
    created_at: installation.createdAt,
    updated_at: installation.updatedAt,
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_at: installation.suspendedAt,
    suspended_by: null,
  });
  return out;
}
