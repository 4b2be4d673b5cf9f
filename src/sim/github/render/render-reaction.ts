import type { ReactionRecord } from "../records.js";
import type { Sim } from "../sim.js";
import { renderUser } from "./render-user.js";

/** One reaction as GitHub returns it. */
export function renderReaction(sim: Sim, reaction: ReactionRecord): Record<string, unknown> {
  return {
    id: reaction.id,
    node_id: reaction.nodeId,
    user: renderUser(sim, sim.state.user(reaction.userId)),
    content: reaction.content,
    created_at: reaction.createdAt,
  };
}
