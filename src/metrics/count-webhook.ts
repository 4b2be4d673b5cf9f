import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { Queryable } from "../db/queryable.js";
import type { ShipMetrics } from "./create-metrics.js";

/**
 * Counts one webhook request once it is answered: accepted deliveries by the event and
 * outcome Ship recorded for them (run, ignored, denied, recorded; "unhandled" for events
 * Ship does not act on), refused ones as "rejected" (4xx: bad signature, bad payload) or
 * "error" (5xx). A refused request's event header is unverified, so it is not a label.
 */
export function countWebhook(deps: {
  db: Queryable;
  metrics: Pick<ShipMetrics, "webhooks">;
  log: Logger;
}) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    res.once("finish", () => {
      if (res.statusCode >= 400) {
        deps.metrics.webhooks.inc({
          event: "unverified",
          outcome: res.statusCode < 500 ? "rejected" : "error",
        });
        return;
      }
      const header = String(req.headers["x-github-event"] ?? "");
      const event = /^[a-z_]{1,50}$/.test(header) ? header : "other";
      deps.db
        .query<{ event: string; outcome: string }>(
          "SELECT event, outcome FROM deliveries WHERE id = $1",
          [String(req.headers["x-github-delivery"] ?? "")],
        )
        .then(({ rows }) => {
          const row = rows[0];
          deps.metrics.webhooks.inc({
            event: row?.event ?? event,
            outcome: row?.outcome ?? "unhandled",
          });
        })
        .catch((error) => deps.log.warn({ err: error }, "could not count a webhook"));
    });
  };
}
