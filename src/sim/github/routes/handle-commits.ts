import type { Actor } from "../auth/actor.js";
import { requireRepositoryAccess } from "../auth/require-repository-access.js";
import { diffFiles } from "../git/diff-files.js";
import { readCommits } from "../git/read-commits.js";
import { runGit } from "../git/run-git.js";
import type { ApiRouter } from "../http/api-router.js";
import { HttpError } from "../http/http-error.js";
import { paginate } from "../http/paginate.js";
import { refreshPullRequest } from "../operations/refresh-pull-request.js";
import type { RepositoryRecord } from "../records.js";
import { renderCommit } from "../render/render-commit.js";
import { renderDiffEntry } from "../render/render-diff-entry.js";
import type { Sim } from "../sim.js";

/** git's well-known empty tree: what a root commit is diffed against. */
const EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
/** GitHub lists at most 250 commits of a pull request or comparison. */
const MAX_COMMITS = 250;

/**
 * What reviewers' tools read, computed from the repository's git: a commit with its
 * stats and files, a comparison of two commits (three-dot: from their merge base), and
 * a pull request's commits and files. Fork heads are in the base repository already
 * (`refs/pull/N/head`).
 */
export function handleCommits(router: ApiRouter, sim: Sim): void {
  const { state } = sim;
  const home = sim.git.home;
  const access = (
    actor: Actor,
    params: Record<string, string>,
    permission: "contents" | "pull_requests",
  ) =>
    requireRepositoryAccess(sim, actor, params.owner ?? "", params.repo ?? "", {
      permission,
      level: "read",
      role: "read",
    });
  const git = (repository: RepositoryRecord, args: string[], allowExitCodes?: number[]) =>
    runGit(args, { home, gitDir: repository.gitDir, allowExitCodes });
  /** A branch, tag or sha (or `owner:branch` of this repository) as a commit sha. */
  const resolve = async (repository: RepositoryRecord, name: string) => {
    const owner = state.user(repository.ownerId).login.toLowerCase();
    const colon = name.indexOf(":");
    const ref =
      colon >= 0 && name.slice(0, colon).toLowerCase() === owner ? name.slice(colon + 1) : name;
    if (ref.startsWith("-")) return undefined;
    const found = await git(
      repository,
      ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`],
      [1, 128],
    );
    return found.code === 0 ? found.stdout.toString("utf8").trim() : undefined;
  };
  const commitsBetween = async (repository: RepositoryRecord, from: string, to: string) => {
    const listed = await git(repository, [
      "rev-list",
      "--reverse",
      "--topo-order",
      `${from}..${to}`,
    ]);
    const shas = listed.stdout.toString("utf8").split("\n").filter(Boolean);
    return { total: shas.length, shas: shas.slice(0, MAX_COMMITS) };
  };
  const mergeBase = async (repository: RepositoryRecord, a: string, b: string) => {
    const found = await git(repository, ["merge-base", a, b], [1]);
    return found.code === 0 ? found.stdout.toString("utf8").trim() : undefined;
  };
  const commitObjects = async (repository: RepositoryRecord, shas: string[]) =>
    (await readCommits({ gitDir: repository.gitDir, home, shas })).map((commit) =>
      renderCommit(sim, repository, commit),
    );

  router.operation("repos/get-commit", async ({ actor, params }) => {
    const repository = access(actor, params, "contents");
    const name = params["*"] ?? "";
    const sha = await resolve(repository, name);
    if (!sha) throw new HttpError(422, `No commit found for SHA: ${name}`);
    const [commit] = await readCommits({ gitDir: repository.gitDir, home, shas: [sha] });
    if (!commit) throw new HttpError(422, `No commit found for SHA: ${name}`);
    const files = await diffFiles({
      gitDir: repository.gitDir,
      home,
      from: commit.parents[0] ?? EMPTY_TREE,
      to: sha,
    });
    const additions = files.reduce((sum, file) => sum + file.additions, 0);
    const deletions = files.reduce((sum, file) => sum + file.deletions, 0);
    return {
      status: 200,
      body: {
        ...renderCommit(sim, repository, commit),
        stats: { total: additions + deletions, additions, deletions },
        files: files.map((file) => renderDiffEntry(sim, repository, file, sha)),
      },
    };
  });

  router.operation("repos/compare-commits", async ({ actor, params }) => {
    const repository = access(actor, params, "contents");
    const basehead = params["*"] ?? "";
    const split = basehead.indexOf("...");
    if (split < 0) throw new HttpError(404, "Not Found");
    const baseName = basehead.slice(0, split);
    const headName = basehead.slice(split + 3);
    const [base, head] = await Promise.all([
      resolve(repository, baseName),
      resolve(repository, headName),
    ]);
    if (!base || !head) throw new HttpError(404, "Not Found");
    const shared = await mergeBase(repository, base, head);
    if (!shared)
      throw new HttpError(404, `No common ancestor between ${baseName} and ${headName}.`);
    const [ahead, behind, files] = await Promise.all([
      commitsBetween(repository, shared, head),
      commitsBetween(repository, shared, base),
      diffFiles({ gitDir: repository.gitDir, home, from: shared, to: head }),
    ]);
    const [baseCommit, mergeBaseCommit, ...commits] = await commitObjects(repository, [
      base,
      shared,
      ...ahead.shas,
    ]);
    const fullName = state.fullName(repository);
    const owner = state.user(repository.ownerId).login;
    const html = `${sim.urls.web}/${fullName}/compare/${basehead}`;
    const status =
      ahead.total === 0 && behind.total === 0
        ? "identical"
        : behind.total === 0
          ? "ahead"
          : ahead.total === 0
            ? "behind"
            : "diverged";
    return {
      status: 200,
      body: {
        url: `${sim.urls.api}/repos/${fullName}/compare/${basehead}`,
        html_url: html,
        permalink_url: `${sim.urls.web}/${fullName}/compare/${owner}:${base}...${owner}:${head}`,
        diff_url: `${html}.diff`,
        patch_url: `${html}.patch`,
        base_commit: baseCommit,
        merge_base_commit: mergeBaseCommit,
        status,
        ahead_by: ahead.total,
        behind_by: behind.total,
        total_commits: ahead.total,
        commits,
        files: files.map((file) => renderDiffEntry(sim, repository, file, head)),
      },
    };
  });

  const findPull = async (repository: RepositoryRecord, number: string | undefined) => {
    const pull = state.pull(repository.id, Number(number));
    if (!pull) throw new HttpError(404, "Not Found");
    await refreshPullRequest(sim, pull);
    return pull;
  };

  router.operation("pulls/list-commits", async (request) => {
    const repository = access(request.actor, request.params, "pull_requests");
    const pull = await findPull(repository, request.params.pull_number);
    const { shas } = await commitsBetween(repository, pull.base.sha, pull.head.sha);
    const page = paginate(request, shas, sim.urls.api, repository);
    return {
      status: 200,
      body: await commitObjects(repository, page.items),
      headers: page.headers,
    };
  });

  router.operation("pulls/list-files", async (request) => {
    const repository = access(request.actor, request.params, "pull_requests");
    const pull = await findPull(repository, request.params.pull_number);
    const shared = (await mergeBase(repository, pull.base.sha, pull.head.sha)) ?? pull.base.sha;
    const files = await diffFiles({
      gitDir: repository.gitDir,
      home,
      from: shared,
      to: pull.head.sha,
    });
    const page = paginate(request, files, sim.urls.api, repository);
    return {
      status: 200,
      body: page.items.map((file) => renderDiffEntry(sim, repository, file, pull.head.sha)),
      headers: page.headers,
    };
  });
}
