import { HttpError } from "../http/http-error.js";
import type { ReactionContent, ReactionRecord, UserRecord } from "../records.js";
import type { Sim } from "../sim.js";

const CONTENTS: ReactionContent[] = [
  "+1",
  "-1",
  "laugh",
  "confused",
  "heart",
  "hooray",
  "rocket",
  "eyes",
];

/**
 * Reacts to an issue or comment. Reacting twice with the same content returns the
 * first reaction (`created: false`: GitHub answers 200 instead of 201).
 */
export function addReaction(
  sim: Sim,
  params: { subject: ReactionRecord["subject"]; content: unknown; user: UserRecord },
): { reaction: ReactionRecord; created: boolean } {
  const { state } = sim;
  const { subject, user } = params;
  if (!CONTENTS.includes(params.content as ReactionContent)) {
    throw new HttpError(422, "Validation Failed", {
      errors: [
        { resource: "Reaction", code: "invalid", field: "content", value: String(params.content) },
      ],
    });
  }
  const content = params.content as ReactionContent;
  for (const reaction of state.reactions.values()) {
    if (
      reaction.subject.type === subject.type &&
      reaction.subject.id === subject.id &&
      reaction.userId === user.id &&
      reaction.content === content
    ) {
      return { reaction, created: false };
    }
  }
  const id = state.nextId("reaction");
  const reaction: ReactionRecord = {
    id,
    nodeId: state.nodeId("Reaction", id),
    subject,
    content,
    userId: user.id,
    createdAt: sim.clock.iso(),
  };
  state.reactions.set(id, reaction);
  return { reaction, created: true };
}
