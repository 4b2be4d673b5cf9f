import type pg from "pg";
import type { Context } from "probot";
import { recordDelivery } from "../deliveries/record-delivery.js";

type TriggerContext = Context<"pull_request_review_comment.created">;

/** Records a delivery of an event that will start runs once its trigger is built. */
export function recordTriggerDelivery(deps: { pool: pg.Pool }) {
  return async (context: TriggerContext): Promise<void> => {
    const { payload } = context;
    await recordDelivery(deps.pool, {
      id: context.id,
      event: `${context.name}.${payload.action}`,
      installationId: payload.installation?.id,
      repository: payload.repository.full_name,
      outcome: "recorded",
    });
  };
}
