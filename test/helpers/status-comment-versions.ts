import type { TestShip } from "./start-test-ship.js";

/**
 * Every version of run `runId`'s status comment, oldest first, as GitHub sent them in its
 * `issue_comment` webhooks (created, then each edit): what people saw as the run went.
 */
export function statusCommentVersions(t: TestShip, runId: number): string[] {
  const marker = `<!-- ship:run:${runId} -->`;
  return t.world.github.deliveries
    .filter((delivery) => delivery.event === "issue_comment" && !delivery.redelivery)
    .map((delivery) => (delivery.payload.comment as { body?: string } | undefined)?.body ?? "")
    .filter((body) => body.includes(marker));
}
