import { randomUUID } from "node:crypto";
import { sign } from "@octokit/webhooks-methods";

/** Posts a webhook as GitHub does: JSON body, event and delivery headers, HMAC signature. */
export async function sendWebhook(params: {
  url: string;
  secret: string;
  event: string;
  payload: unknown;
  deliveryId?: string;
  signature?: string;
}): Promise<{ status: number; body: string; deliveryId: string }> {
  const body = JSON.stringify(params.payload);
  const deliveryId = params.deliveryId ?? randomUUID();
  const response = await fetch(params.url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "user-agent": "GitHub-Hookshot/test",
      "x-github-event": params.event,
      "x-github-delivery": deliveryId,
      "x-hub-signature-256": params.signature ?? (await sign(params.secret, body)),
    },
    body,
  });
  return { status: response.status, body: await response.text(), deliveryId };
}
