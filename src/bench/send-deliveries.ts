import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { sign } from "@octokit/webhooks-methods";

/** How each delivery went: its reply time, or why it failed. */
export interface DeliveryTimings {
  /** Reply times (ms) of the deliveries answered 2xx. */
  latencies: number[];
  /** Non-2xx statuses and network errors, one entry each. */
  failures: string[];
  /** Deliveries per second actually sent. */
  rate: number;
}

/**
 * Sends `perSecond` signed `issue_comment.created` deliveries a second for `seconds` to
 * Ship's webhook URL, each a copy of `payload` with a new delivery id and comment id
 * (from `firstCommentId` up); `body(i)` is the i-th comment's text. Sends on schedule
 * without waiting for replies (as GitHub does), then waits for them all.
 */
export async function sendDeliveries(params: {
  url: string;
  secret: string;
  payload: { comment: Record<string, unknown> } & Record<string, unknown>;
  perSecond: number;
  seconds: number;
  firstCommentId: number;
  body: (index: number) => string;
}): Promise<DeliveryTimings> {
  const total = params.perSecond * params.seconds;
  const latencies: number[] = [];
  const failures: string[] = [];
  const inFlight: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const wait = start + (i * 1000) / params.perSecond - performance.now();
    if (wait > 1) await sleep(wait);
    const body = JSON.stringify({
      ...params.payload,
      comment: { ...params.payload.comment, id: params.firstCommentId + i, body: params.body(i) },
    });
    const headers = {
      "content-type": "application/json",
      "x-github-event": "issue_comment",
      "x-github-delivery": randomUUID(),
      "x-hub-signature-256": await sign(params.secret, body),
    };
    const sentAt = performance.now();
    inFlight.push(
      fetch(params.url, { method: "POST", headers, body })
        .then(async (response) => {
          await response.arrayBuffer();
          if (response.status >= 200 && response.status <= 299) {
            latencies.push(performance.now() - sentAt);
          } else {
            failures.push(String(response.status));
          }
        })
        .catch((error: Error) => void failures.push(error.message)),
    );
  }
  await Promise.all(inFlight);
  return { latencies, failures, rate: total / ((performance.now() - start) / 1000) };
}
