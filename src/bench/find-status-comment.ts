import type { LocalWorld } from "../sim/start-local-world.js";

/** The body of Ship's status comment on an issue of the sample repository, once there is one. */
export function findStatusComment(world: LocalWorld, issueNumber: number): string | undefined {
  return world.github
    .issueComments(world.sample.repository, issueNumber)
    .find((comment) => comment.body.includes("<!-- ship:run:"))?.body;
}
