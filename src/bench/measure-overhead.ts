import { setTimeout as sleep } from "node:timers/promises";
import type { LocalWorld } from "../sim/start-local-world.js";
import { askShipInWorld } from "./ask-ship-in-world.js";
import { findStatusComment } from "./find-status-comment.js";
import { readStepSeconds } from "./read-step-seconds.js";

/** One run, timed as its requester sees it and split by Ship's own step timings. */
export interface TimedRun {
  /** Comment -> Ship's 👀 on it, in seconds. */
  toReaction: number;
  /** Comment -> the first status comment, in seconds. */
  toStatusComment: number;
  /** Comment -> the draft PR exists, in seconds. */
  toPullRequest: number;
  /** Comment -> the status comment shows ✅, in seconds. */
  toEnd: number;
  /** Seconds in each step of the run (`ship_run_step_seconds`), plus `pickup`: the rest. */
  steps: Record<string, number>;
}

/**
 * Comments `/ship <task>` on a fresh issue, `count` times one after another, and times
 * each run from the comment to Ship's 👀, its first status comment, its draft PR and its
 * ✅, with Ship's step timings read
 * from `/metrics` around it. `pickup` is what no step accounts for: the webhook, the
 * queue, the first status comment, and the gaps between steps.
 */
export async function measureOverhead(params: {
  world: LocalWorld;
  shipUrl: string;
  count: number;
  task: string;
}): Promise<TimedRun[]> {
  const { world } = params;
  const { repository } = world.sample;
  const runs: TimedRun[] = [];
  for (let i = 0; i < params.count; i++) {
    const known = new Set((await world.github.pullRequests(repository)).map((pr) => pr.number));
    const before = await readStepSeconds(params.shipUrl);
    const { issueNumber, commentId, postedAt } = askShipInWorld(
      world,
      `Overhead ${i}`,
      params.task,
    );
    let toReaction: number | undefined;
    let toStatusComment: number | undefined;
    let toPullRequest: number | undefined;
    let listedAt = 0;
    let toEnd: number | undefined;
    while (toEnd === undefined) {
      if (performance.now() - postedAt > 120_000) throw new Error(`run ${i} did not end in 120 s`);
      // Listing pull requests builds every PR's view, in the process that also runs the
      // stand-ins Ship is waiting on: every 100 ms, not on every 5 ms turn.
      if (toPullRequest === undefined && performance.now() - listedAt >= 100) {
        listedAt = performance.now();
        const pulls = await world.github.pullRequests(repository);
        if (pulls.some((pr) => !known.has(pr.number))) {
          toPullRequest = (performance.now() - postedAt) / 1000;
        }
      }
      const seconds = (performance.now() - postedAt) / 1000;
      if (
        toReaction === undefined &&
        world.github.reactions({ type: "issue_comment", id: commentId }).length > 0
      ) {
        toReaction = seconds;
      }
      const status = findStatusComment(world, issueNumber);
      toStatusComment ??= status ? seconds : undefined;
      if (status?.includes("❌")) throw new Error(`run ${i} failed:\n${status}`);
      if (status?.includes("✅")) toEnd = (performance.now() - postedAt) / 1000;
      await sleep(5);
    }
    // The step timings land as the run ends; the ✅ is the last thing it does.
    await sleep(200);
    const after = await readStepSeconds(params.shipUrl);
    const steps: Record<string, number> = {};
    for (const [step, seconds] of Object.entries(after)) {
      steps[step] = seconds - (before[step] ?? 0);
    }
    const accounted = Object.values(steps).reduce((sum, s) => sum + s, 0);
    steps.pickup = Math.max(0, toEnd - accounted);
    runs.push({
      toReaction: toReaction ?? toEnd,
      toStatusComment: toStatusComment ?? toEnd,
      toPullRequest: toPullRequest ?? toEnd,
      toEnd,
      steps,
    });
  }
  return runs;
}
