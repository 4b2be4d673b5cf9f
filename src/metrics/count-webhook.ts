import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { Queryable } from "../db/queryable.js";
import type { ShipMetrics } from "./create-metrics.js";

/** Events whose payload is a comment Ship may have written itself. */
const commentEvents = new Set(["issue_comment", "pull_request_review_comment"]);
/** The start of the hidden markers every comment of Ship's carries (`<!-- ship -->`, `<!-- ship:run:N -->`). */
const ownMarker = "<!-- ship";

/**
 * Counts one webhook request once it is answered: accepted deliveries by the event and
 * outcome Ship recorded for them (run, ignored, denied, recorded; "unhandled" for events
 * Ship does not act on), refused ones as "rejected" (4xx: bad signature, bad payload) or
 * "error" (5xx). A refused request's event header is unverified, so it is not a label.
 * GitHub echoes every status-comment edit back as `issue_comment.edited`: those are
 * "own" (a comment carrying Ship's marker, whoever's token posted it), so "unhandled" stays a number worth
 * looking at instead of counting Ship's own edits as lost deliveries.
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
      // Read after Probot verified the signature (status < 400): the payload is GitHub's.
      const own = commentEvents.has(event) ? ownCommentAction(req) : undefined;
      if (own) {
        deps.metrics.webhooks.inc({ event: `${event}.${own}`, outcome: "own" });
        return;
      }
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

/**
 * The action (`created`, `edited`, `deleted`) when the payload is a comment with Ship's
 * marker (Ship posts some comments with a person's token, so the sender does not tell), from the body Ship's web server read for Probot (`req.body`).
 */
function ownCommentAction(req: IncomingMessage): string | undefined {
  const body = (req as { body?: unknown }).body;
  if (typeof body !== "string") return undefined;
  try {
    const payload = JSON.parse(body) as {
      action?: unknown;
      comment?: { body?: unknown };
    };
    const action = typeof payload.action === "string" ? payload.action : "";
    const text = payload.comment?.body;
    return typeof text === "string" && text.includes(ownMarker) && /^[a-z_]{1,30}$/.test(action)
      ? action
      : undefined;
  } catch {
    return undefined;
  }
}
