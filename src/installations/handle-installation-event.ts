import type pg from "pg";
import type { Context } from "probot";
import { inTransaction } from "../db/in-transaction.js";
import { recordDelivery } from "../deliveries/record-delivery.js";
import { saveInstallation } from "./save-installation.js";

type InstallationContext = Context<"installation"> | Context<"installation_repositories">;

/**
 * Keeps the installations table current from `installation.*` and
 * `installation_repositories.*` webhooks; who installed the app is remembered because
 * later runs may act as that person.
 */
export function handleInstallationEvent(deps: { pool: pg.Pool }) {
  return async (context: InstallationContext): Promise<void> => {
    const { payload } = context;
    const installation = payload.installation;
    const account = installation.account as {
      login?: string;
      slug?: string;
      id: number;
      type?: string;
    } | null;
    const action = payload.action;
    await inTransaction(deps.pool, async (tx) => {
      const fresh = await recordDelivery(tx, {
        id: context.id,
        event: `${context.name}.${action}`,
        installationId: installation.id,
        repository: undefined,
        outcome: "recorded",
      });
      if (!fresh || !account) return;
      await saveInstallation(tx, {
        id: installation.id,
        accountLogin: account.login ?? account.slug ?? String(account.id),
        accountId: account.id,
        accountType: account.type ?? "Organization",
        repositorySelection: installation.repository_selection,
        installer:
          context.name === "installation" && action === "created"
            ? { login: payload.sender.login, id: payload.sender.id }
            : undefined,
        suspended:
          action === "suspend" || (action !== "unsuspend" && Boolean(installation.suspended_at)),
        deleted: action === "deleted",
      });
    });
  };
}
