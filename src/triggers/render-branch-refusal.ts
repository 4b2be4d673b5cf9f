import { shipCommentMarker } from "../report/status-marker.js";

/** A `--branch` that exists already: a refusal of its own kind (not a protection). */
const exists = /already exists$/;

/** Why Ship refused, in one sentence: `problem` and the rule it breaks. */
export function branchRefusalSentence(problem: string): string {
  const rule = exists.test(problem)
    ? "and `--branch` names a branch Ship creates"
    : "and Ship never pushes to the default branch or a protected branch";
  return `Ship did not start: ${problem}, ${rule}.`;
}

/**
 * The reply to a task that would push to the default branch or a protected one, or to
 * a `--branch` that exists: what Ship refused and what to do instead. Carries Ship's
 * marker, as every reply does.
 */
export function renderBranchRefusal(login: string, problem: string): string {
  return [
    shipCommentMarker,
    `@${login} ${branchRefusalSentence(problem)}`,
    exists.test(problem)
      ? "Name another branch with `--branch`, or leave it out and Ship picks one."
      : "Ask on an issue (Ship opens a pull request from a new branch), or name a new branch with `--branch`.",
  ].join("\n");
}
