import type { InstallationRecord, Permissions } from "../records.js";
import { renderInstallation } from "../render/render-installation.js";
import { renderUser } from "../render/render-user.js";
import type { Sim } from "../sim.js";
import type { WebhookDelivery } from "../webhooks/webhook-sender.js";

/**
 * Installs an app on an account (all its repositories, or the named ones) as
 * `installer` did, and sends the app `installation.created` as GitHub does.
 */
export function installApp(
  sim: Sim,
  params: {
    appId: number;
    /** The user or organization login the app is installed on. */
    account: string;
    /** Who clicked "Install"; defaults to the account (or its first admin for an org). */
    installer?: string;
    /** Repository names (without owner) or "all" (the default). */
    repositories?: string[] | "all";
    /** Narrower than the app's: the account accepted only these. */
    permissions?: Permissions;
  },
): { installation: InstallationRecord; delivery: WebhookDelivery | undefined } {
  const { state } = sim;
  const app = state.app(params.appId);
  const account = state.userByLogin(params.account);
  if (!account) throw new Error(`no account ${params.account}`);
  const installer = state.userByLogin(params.installer ?? params.account);
  if (!installer) throw new Error(`no user ${params.installer}`);
  for (const existing of state.installations.values()) {
    if (existing.appId === app.id && existing.accountId === account.id) {
      throw new Error(`${app.slug} is already installed on ${account.login}`);
    }
  }
  const selected = params.repositories ?? "all";
  const repositoryIds =
    selected === "all"
      ? []
      : selected.map((name) => {
          const repository = state.repositoryByName(account.login, name);
          if (!repository) throw new Error(`no repository ${account.login}/${name}`);
          return repository.id;
        });
  const now = sim.clock.iso();
  const installation: InstallationRecord = {
    id: state.nextId("installation"),
    appId: app.id,
    accountId: account.id,
    installerId: installer.id,
    repositorySelection: selected === "all" ? "all" : "selected",
    repositoryIds,
    permissions: { ...(params.permissions ?? app.permissions) },
    events: [...app.events],
    createdAt: now,
    updatedAt: now,
    suspendedAt: null,
  };
  state.installations.set(installation.id, installation);

  if (!app.webhookUrl) return { installation, delivery: undefined };
  const example = sim.templates.webhookExample("installation");
  const delivery = sim.webhooks.send({
    app,
    event: "installation",
    installationId: installation.id,
    repositoryId: null,
    payload: {
      action: "created",
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
      requester: null,
      sender: renderUser(sim, installer, example.sender as Record<string, unknown>),
    },
  });
  return { installation, delivery };
}
