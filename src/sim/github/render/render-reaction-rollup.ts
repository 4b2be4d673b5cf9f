import type { ReactionRecord } from "../records.js";
import type { Sim } from "../sim.js";

/** The `reactions` summary GitHub puts on issues and comments. */
export function renderReactionRollup(
  sim: Sim,
  subject: ReactionRecord["subject"],
  url: string,
): Record<string, unknown> {
  const counts: Record<string, number> = {
    "+1": 0,
    "-1": 0,
    laugh: 0,
    hooray: 0,
    confused: 0,
    heart: 0,
    rocket: 0,
    eyes: 0,
  };
  let total = 0;
  for (const reaction of sim.state.reactions.values()) {
    if (reaction.subject.type !== subject.type || reaction.subject.id !== subject.id) continue;
    counts[reaction.content] = (counts[reaction.content] ?? 0) + 1;
    total++;
  }
  return { url: `${url}/reactions`, total_count: total, ...counts };
}
