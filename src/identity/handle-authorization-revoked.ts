import type pg from "pg";
import type { Context } from "probot";
import { recordDelivery } from "../deliveries/record-delivery.js";
import type { UserTokens } from "./create-user-tokens.js";

/** `github_app_authorization.revoked`: the person took Ship's access back; forget their tokens. */
export function handleAuthorizationRevoked(deps: { pool: pg.Pool; tokens: UserTokens }) {
  return async (context: Context<"github_app_authorization.revoked">): Promise<void> => {
    if (
      !(await recordDelivery(deps.pool, {
        id: context.id,
        event: "github_app_authorization.revoked",
        installationId: undefined,
        repository: undefined,
        outcome: "recorded",
      }))
    )
      return;
    await deps.tokens.forget(context.payload.sender.id);
  };
}
