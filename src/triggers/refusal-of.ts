import type { Trigger } from "./trigger.js";

/** Whom a refusal on this trigger's thread goes to, as the one-a-day limit counts it. */
export function refusalOf(trigger: Trigger): {
  repositoryId: number;
  threadNumber: number;
  userId: number;
} {
  return {
    repositoryId: trigger.repository.id,
    threadNumber: trigger.thread.number,
    userId: trigger.sender.id,
  };
}
