import type { AppRecord } from "../records.js";
import type { Sim } from "../sim.js";
import { renderUser } from "./render-user.js";

/** A GitHub App (`integration`), as `GET /app` and `performed_via_github_app` show it. */
export function renderApp(sim: Sim, app: AppRecord): Record<string, unknown> {
  const out = sim.templates.example("integration");
  const installations = [...sim.state.installations.values()].filter(
    (installation) => installation.appId === app.id,
  ).length;
  Object.assign(out, {
    id: app.id,
    slug: app.slug,
    client_id: app.clientId,
    node_id: app.nodeId,
    owner: renderUser(sim, sim.state.user(app.ownerId), out.owner as Record<string, unknown>),
    name: app.name,
    description: app.description,
    external_url: `${sim.urls.web}/apps/${app.slug}`,
    html_url: `${sim.urls.web}/apps/${app.slug}`,
    created_at: app.createdAt,
    updated_at: app.updatedAt,
    permissions: { ...app.permissions },
    events: [...app.events],
    installations_count: installations,
  });
  return out;
}
