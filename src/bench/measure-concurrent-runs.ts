import { setTimeout as sleep } from "node:timers/promises";
import type { LocalWorld } from "../sim/start-local-world.js";
import { askShipInWorld } from "./ask-ship-in-world.js";
import { findStatusComment } from "./find-status-comment.js";

/** How a burst of simultaneous runs went. */
export interface ConcurrentRuns {
  /** Each run's comment -> final status comment (✅ or ❌), in seconds. */
  endToEnd: number[];
  /** Runs finished per minute over the burst (first comment -> last end). */
  runsPerMinute: number;
  failed: number;
  /** Why runs failed, as their status comments say (first line of the error), counted. */
  failures: Record<string, number>;
}

/**
 * Comments `/ship <task>` on `count` fresh issues at once and waits until each status
 * comment shows the run's end, as the (fake) GitHub records it.
 */
export async function measureConcurrentRuns(params: {
  world: LocalWorld;
  count: number;
  task: string;
  timeoutMs: number;
}): Promise<ConcurrentRuns> {
  const { world } = params;
  const started = performance.now();
  const issues = Array.from({ length: params.count }, (_, i) =>
    askShipInWorld(world, `Burst ${i}`, params.task),
  );
  const ends = new Map<number, { seconds: number; ok: boolean; why?: string }>();
  while (ends.size < issues.length && performance.now() - started < params.timeoutMs) {
    for (const issue of issues) {
      if (ends.has(issue.issueNumber)) continue;
      const status = findStatusComment(world, issue.issueNumber);
      if (status && (status.includes("✅") || status.includes("❌"))) {
        const ok = status.includes("✅");
        ends.set(issue.issueNumber, {
          seconds: (performance.now() - issue.postedAt) / 1000,
          ok,
          ...(ok ? {} : { why: failureLine(status) }),
        });
      }
    }
    await sleep(20);
  }
  const endToEnd = [...ends.values()].map((end) => end.seconds);
  const lastEnd = Math.max(...endToEnd);
  const failures: Record<string, number> = {};
  for (const end of ends.values()) {
    if (end.why) failures[end.why] = (failures[end.why] ?? 0) + 1;
  }
  return {
    failures,
    endToEnd,
    runsPerMinute: (endToEnd.length / lastEnd) * 60,
    failed: [...ends.values()].filter((end) => !end.ok).length + (issues.length - ends.size),
  };
}

/** The status comment's error sentence: the first line after its ❌ heading. */
function failureLine(body: string): string {
  const lines = body.split("\n").map((line) => line.trim());
  const start = lines.findIndex((line) => line.includes("❌"));
  return (
    lines
      .slice(start + 1)
      .find((line) => line !== "" && !line.startsWith(">"))
      ?.slice(0, 200) ?? "unknown"
  );
}
