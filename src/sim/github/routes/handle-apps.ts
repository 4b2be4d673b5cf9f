import { requireApp } from "../auth/require-app.js";
import type { ApiRouter } from "../http/api-router.js";
import { HttpError } from "../http/http-error.js";
import { paginate } from "../http/paginate.js";
import { mintInstallationToken } from "../operations/mint-installation-token.js";
import type { InstallationRecord, Permissions } from "../records.js";
import { renderApp } from "../render/render-app.js";
import { renderInstallation } from "../render/render-installation.js";
import { renderRepository } from "../render/render-repository.js";
import type { Sim } from "../sim.js";
import type { WebhookDelivery } from "../webhooks/webhook-sender.js";

/**
 * The app-level REST API (JWT only): the app itself, its installations, installation
 * tokens, and its webhook delivery log with redelivery. Also the installation's own
 * `GET /installation/repositories`.
 */
export function handleApps(router: ApiRouter, sim: Sim): void {
  const { state } = sim;
  const ownInstallation = (appId: number, id: string): InstallationRecord => {
    const installation = state.installations.get(Number(id));
    if (!installation || installation.appId !== appId) throw new HttpError(404, "Not Found");
    return installation;
  };

  router.operation("apps/get-authenticated", ({ actor }) => ({
    status: 200,
    body: renderApp(sim, requireApp(actor)),
  }));

  router.operation("apps/list-installations", (request) => {
    const app = requireApp(request.actor);
    const installations = [...state.installations.values()].filter(
      (installation) => installation.appId === app.id,
    );
    const page = paginate(request, installations, sim.urls.api);
    return {
      status: 200,
      body: page.items.map((installation) => renderInstallation(sim, installation)),
      headers: page.headers,
    };
  });

  router.operation("apps/get-installation", ({ actor, params }) => {
    const app = requireApp(actor);
    return {
      status: 200,
      body: renderInstallation(sim, ownInstallation(app.id, params.installation_id ?? "")),
    };
  });

  router.operation("apps/get-repo-installation", ({ actor, params }) => {
    const app = requireApp(actor);
    const repository = state.repositoryByName(params.owner ?? "", params.repo ?? "");
    const installation = repository
      ? state.installationsFor(repository).find((candidate) => candidate.appId === app.id)
      : undefined;
    if (!installation) throw new HttpError(404, "Not Found");
    return { status: 200, body: renderInstallation(sim, installation) };
  });

  const accountInstallation = (appId: number, login: string, type: "Organization" | "User") => {
    const account = state.userByLogin(login);
    const installation = [...state.installations.values()].find(
      (candidate) => candidate.appId === appId && candidate.accountId === account?.id,
    );
    if (!account || account.type !== type || !installation) throw new HttpError(404, "Not Found");
    return { status: 200, body: renderInstallation(sim, installation) };
  };
  router.operation("apps/get-org-installation", ({ actor, params }) =>
    accountInstallation(requireApp(actor).id, params.org ?? "", "Organization"),
  );
  router.operation("apps/get-user-installation", ({ actor, params }) =>
    accountInstallation(requireApp(actor).id, params.username ?? "", "User"),
  );

  router.operation("apps/create-installation-access-token", ({ actor, params, body }) => {
    const app = requireApp(actor);
    const installation = ownInstallation(app.id, params.installation_id ?? "");
    if (body.repositories !== undefined && !Array.isArray(body.repositories)) {
      throw new HttpError(
        422,
        "Invalid request.\n\nFor 'properties/repositories', is not an array.",
      );
    }
    if (body.repository_ids !== undefined && !Array.isArray(body.repository_ids)) {
      throw new HttpError(
        422,
        "Invalid request.\n\nFor 'properties/repository_ids', is not an array.",
      );
    }
    const token = mintInstallationToken(sim, {
      installation,
      repositories: body.repositories as string[] | undefined,
      repositoryIds: body.repository_ids as number[] | undefined,
      permissions: body.permissions as Permissions | undefined,
    });
    const template = sim.templates.example("installation-token");
    const repositoryTemplate = (template.repositories as Array<Record<string, unknown>>)[0];
    const response: Record<string, unknown> = {
      token: token.token,
      expires_at: sim.clock.iso(token.expiresAt),
      permissions: token.permissions,
      repository_selection: token.repositoryIds ? "selected" : installation.repositorySelection,
    };
    if (token.repositoryIds) {
      response.repositories = token.repositoryIds.map((id) =>
        renderRepository(sim, state.repository(id), { template: repositoryTemplate }),
      );
    }
    return { status: 201, body: response };
  });

  router.operation("apps/list-repos-accessible-to-installation", (request) => {
    const { actor } = request;
    if (actor.type !== "installation") {
      throw new HttpError(
        403,
        "You must authenticate with an installation access token in order to list repositories for an installation.",
      );
    }
    const repositories = state
      .installationRepositories(actor.installation)
      .filter(
        (repository) =>
          actor.token.repositoryIds === null || actor.token.repositoryIds.includes(repository.id),
      );
    const page = paginate(request, repositories, sim.urls.api);
    return {
      status: 200,
      body: {
        total_count: repositories.length,
        repository_selection: actor.installation.repositorySelection,
        repositories: page.items.map((repository) =>
          renderRepository(sim, repository, {
            template: (
              sim.templates.example("repository-paginated-2").repositories as Array<
                Record<string, unknown>
              >
            )[0],
          }),
        ),
      },
      headers: page.headers,
    };
  });

  router.operation("apps/list-webhook-deliveries", (request) => {
    const app = requireApp(request.actor);
    const deliveries = sim.webhooks.deliveries
      .filter((delivery) => delivery.appId === app.id)
      .reverse();
    const page = paginate(request, deliveries, sim.urls.api);
    return { status: 200, body: page.items.map(renderDeliveryItem), headers: page.headers };
  });

  router.operation("apps/get-webhook-delivery", ({ actor, params }) => {
    const app = requireApp(actor);
    const delivery = sim.webhooks.deliveries.find(
      (candidate) => candidate.appId === app.id && candidate.id === Number(params.delivery_id),
    );
    if (!delivery) throw new HttpError(404, "Not Found");
    return {
      status: 200,
      body: {
        ...renderDeliveryItem(delivery),
        url: delivery.url,
        request: { headers: delivery.headers, payload: delivery.payload },
        response: { headers: {}, payload: delivery.responseBody ?? null },
      },
    };
  });

  router.operation("apps/redeliver-webhook-delivery", ({ actor, params }) => {
    const app = requireApp(actor);
    const delivery = sim.webhooks.deliveries.find(
      (candidate) => candidate.appId === app.id && candidate.id === Number(params.delivery_id),
    );
    if (!delivery) throw new HttpError(404, "Not Found");
    sim.webhooks.redeliver(delivery.id);
    return { status: 202, body: {} };
  });
}

function renderDeliveryItem(delivery: WebhookDelivery): Record<string, unknown> {
  return {
    id: delivery.id,
    guid: delivery.guid,
    delivered_at: delivery.deliveredAt,
    redelivery: delivery.redelivery,
    duration: (delivery.durationMs ?? 0) / 1000,
    status: delivery.status,
    status_code: delivery.statusCode ?? 0,
    event: delivery.event,
    action: delivery.action ?? null,
    installation_id: delivery.installationId,
    repository_id: delivery.repositoryId,
    throttled_at: null,
  };
}
