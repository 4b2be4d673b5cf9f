import { readRefs } from "../git/read-refs.js";
import type { PullRequestRecord } from "../records.js";
import type { Sim } from "../sim.js";

/**
 * Brings an open pull request's head and base shas up to date with its branches, read
 * from git. A closed one, or one whose branch is gone, keeps its last shas, as on
 * GitHub. Returns whether the head moved.
 */
export async function refreshPullRequest(sim: Sim, pull: PullRequestRecord): Promise<boolean> {
  const repository = sim.state.repository(pull.repositoryId);
  if (sim.state.issue(repository.id, pull.number)?.state !== "open") return false;
  const headRepository = sim.state.repository(pull.head.repositoryId);
  const [headRefs, baseRefs] = await Promise.all([
    readRefs(headRepository.gitDir),
    headRepository.id === repository.id ? undefined : readRefs(repository.gitDir),
  ]);
  const baseSha = (baseRefs ?? headRefs).get(`refs/heads/${pull.base.ref}`);
  if (baseSha) pull.base.sha = baseSha;
  const headSha = headRefs.get(`refs/heads/${pull.head.ref}`);
  if (!headSha || headSha === pull.head.sha) return false;
  pull.head.sha = headSha;
  return true;
}
