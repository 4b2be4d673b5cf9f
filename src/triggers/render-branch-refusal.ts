import { shipCommentMarker } from "../report/status-marker.js";

/** Why Ship refused, in one sentence: `problem` and the rule it breaks. */
export function branchRefusalSentence(problem: string): string {
  return `Ship did not start: ${problem}, and Ship never pushes to the default branch or a protected branch.`;
}

/**
 * The reply to a task that would push to the default branch or a protected one: what
 * Ship refused and what to do instead. Carries Ship's marker, as every reply does.
 */
export function renderBranchRefusal(login: string, problem: string): string {
  return [
    shipCommentMarker,
    `@${login} ${branchRefusalSentence(problem)}`,
    "Ask on an issue (Ship opens a pull request from a new branch), or name a new branch with `--branch`.",
  ].join("\n");
}
