import type { WebhookDelivery } from "./github/webhooks/webhook-sender.js";
import type { LocalWorld } from "./start-local-world.js";

/**
 * The sample collaborator comments `body` on a fresh issue while the world's webhooks
 * go nowhere, and this returns the `issue_comment` delivery GitHub made of it (payload
 * and signed headers), for a tool that sends it itself (copies, load). Webhooks then go
 * to `webhookUrl` again, when given.
 */
export async function captureCommentDelivery(
  world: LocalWorld,
  params: { body: string; webhookUrl?: string },
): Promise<{ delivery: WebhookDelivery; issueNumber: number; commentId: number }> {
  const { repository, writer } = world.sample;
  world.github.setWebhookUrl(world.app.id, "http://127.0.0.1:9/nowhere");
  const issue = world.github.createIssue({ repository, author: writer.login, title: "Delivery" });
  const comment = world.github.createIssueComment({
    repository,
    issueNumber: issue.number,
    author: writer.login,
    body: params.body,
  });
  await world.github.waitForDeliveries();
  if (params.webhookUrl) world.github.setWebhookUrl(world.app.id, params.webhookUrl);
  const delivery = world.github.deliveries.find(
    (d) => d.event === "issue_comment" && (d.payload.comment as { id: number }).id === comment.id,
  );
  if (!delivery) throw new Error("the fake GitHub sent no webhook for the comment");
  return { delivery, issueNumber: issue.number, commentId: comment.id };
}
