import type { Queryable } from "../db/queryable.js";

/** One webhook delivery as Ship keeps it. */
export interface DeliveryRecord {
  id: string;
  /** Event and action, e.g. `issue_comment.created`. */
  event: string;
  installationId: number | undefined;
  repository: string | undefined;
  outcome: "recorded" | "run" | "ignored" | "denied";
  reason?: string;
}

/**
 * Records a delivery once. Returns false when this delivery id was seen before (GitHub
 * redelivered it), so the caller does nothing twice.
 */
export async function recordDelivery(db: Queryable, delivery: DeliveryRecord): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO deliveries (id, event, installation_id, repository, outcome, reason)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
    [
      delivery.id,
      delivery.event,
      delivery.installationId ?? null,
      delivery.repository ?? null,
      delivery.outcome,
      delivery.reason ?? null,
    ],
  );
  return rowCount === 1;
}
