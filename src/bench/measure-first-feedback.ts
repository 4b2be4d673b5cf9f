import { setTimeout as sleep } from "node:timers/promises";
import type { LocalWorld } from "../sim/start-local-world.js";
import { askShipInWorld } from "./ask-ship-in-world.js";
import { findStatusComment } from "./find-status-comment.js";

/** When a person saw Ship react to their comment: the 👀, and the status comment. */
export interface FirstFeedback {
  reactionMs: number;
  statusCommentMs: number;
}

/**
 * Comments `/ship <task>` on `count` fresh issues, `spacingMs` apart, and times from each
 * comment to Ship's 👀 reaction on it and to the first status comment on the issue, as
 * the (fake) GitHub records them.
 */
export async function measureFirstFeedback(params: {
  world: LocalWorld;
  count: number;
  spacingMs: number;
  task: string;
}): Promise<FirstFeedback[]> {
  const { world } = params;
  const waits: Promise<FirstFeedback>[] = [];
  for (let i = 0; i < params.count; i++) {
    const { issueNumber, commentId, postedAt } = askShipInWorld(world, `Bench ${i}`, params.task);
    waits.push(
      (async () => {
        let reactionMs: number | undefined;
        let statusCommentMs: number | undefined;
        const deadline = postedAt + 60_000;
        while (
          (reactionMs === undefined || statusCommentMs === undefined) &&
          performance.now() < deadline
        ) {
          if (
            reactionMs === undefined &&
            world.github.reactions({ type: "issue_comment", id: commentId }).length > 0
          ) {
            reactionMs = performance.now() - postedAt;
          }
          if (
            statusCommentMs === undefined &&
            findStatusComment(world, issueNumber) !== undefined
          ) {
            statusCommentMs = performance.now() - postedAt;
          }
          await sleep(2);
        }
        return {
          reactionMs: reactionMs ?? Number.POSITIVE_INFINITY,
          statusCommentMs: statusCommentMs ?? Number.POSITIVE_INFINITY,
        };
      })(),
    );
    await sleep(params.spacingMs);
  }
  return Promise.all(waits);
}
