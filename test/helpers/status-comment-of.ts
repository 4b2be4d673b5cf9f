import type { Run } from "../../src/runs/run.js";
import type { TestShip } from "./start-test-ship.js";

/** The body of `run`'s status comment on its thread, as people read it ("" when there is none). */
export function statusCommentOf(t: TestShip, run: Run): string {
  const comment = t.world.github
    .issueComments(t.world.sample.repository, run.threadNumber)
    .find((c) => c.body.includes(`<!-- ship:run:${run.id} -->`));
  return comment?.body ?? "";
}
