import { computePullStats } from "../git/compute-pull-stats.js";
import { runGit } from "../git/run-git.js";
import type { RepositoryRecord, UserRecord } from "../records.js";
import { renderPullRequest } from "../render/render-pull-request.js";
import type { Sim } from "../sim.js";
import { emitRepositoryEvent } from "../webhooks/emit-repository-event.js";

/**
 * What GitHub does after a push: the repository's `pushed_at` moves, and every open
 * pull request whose head branch moved gets the new head (copied to
 * `refs/pull/N/head`), fresh stats and a `pull_request.synchronize` event.
 */
export async function handlePush(
  sim: Sim,
  params: {
    repository: RepositoryRecord;
    before: Map<string, string>;
    after: Map<string, string>;
    pusher: UserRecord;
  },
): Promise<void> {
  const { state } = sim;
  const { repository, before, after, pusher } = params;
  const moved = new Set(
    [...new Set([...before.keys(), ...after.keys()])].filter(
      (ref) => before.get(ref) !== after.get(ref),
    ),
  );
  if (moved.size === 0) return;
  const now = sim.clock.iso();
  repository.pushedAt = now;
  repository.updatedAt = now;
  for (const pull of state.pulls.values()) {
    const base = state.repository(pull.repositoryId);
    if (state.issue(base.id, pull.number)?.state !== "open") continue;
    if (pull.repositoryId === repository.id && moved.has(`refs/heads/${pull.base.ref}`)) {
      pull.base.sha = after.get(`refs/heads/${pull.base.ref}`) ?? pull.base.sha;
    }
    const headRef = `refs/heads/${pull.head.ref}`;
    if (pull.head.repositoryId !== repository.id || !moved.has(headRef)) continue;
    const headSha = after.get(headRef);
    if (!headSha) continue; // branch deleted: GitHub keeps the last head
    const previous = pull.head.sha;
    const home = sim.git.home;
    if (repository.id === base.id) {
      await runGit(["update-ref", `refs/pull/${pull.number}/head`, headSha], {
        home,
        gitDir: base.gitDir,
      });
    } else {
      await runGit(
        [
          "fetch",
          "--quiet",
          "--no-tags",
          repository.gitDir,
          `+${headSha}:refs/pull/${pull.number}/head`,
        ],
        { home, gitDir: base.gitDir },
      );
    }
    pull.head.sha = headSha;
    pull.stats = await computePullStats({
      gitDir: base.gitDir,
      home,
      baseSha: pull.base.sha,
      headSha,
    });
    const issue = state.issue(base.id, pull.number);
    if (issue) issue.updatedAt = now;
    emitRepositoryEvent(sim, {
      event: "pull_request",
      action: "synchronize",
      repository: base,
      sender: pusher,
      fields: (example) => ({
        number: pull.number,
        before: previous,
        after: headSha,
        pull_request: renderPullRequest(sim, pull, example.pull_request as Record<string, unknown>),
      }),
    });
  }
}
