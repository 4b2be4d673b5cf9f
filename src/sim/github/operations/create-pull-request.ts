import { randomBytes } from "node:crypto";
import { computePullStats } from "../git/compute-pull-stats.js";
import { readRefs } from "../git/read-refs.js";
import { runGit } from "../git/run-git.js";
import { HttpError } from "../http/http-error.js";
import type { PullRequestRecord, RepositoryRecord, UserRecord } from "../records.js";
import { renderPullRequest } from "../render/render-pull-request.js";
import type { Sim } from "../sim.js";
import { emitRepositoryEvent } from "../webhooks/emit-repository-event.js";

const invalid = (field: string) =>
  new HttpError(422, "Validation Failed", {
    errors: [{ resource: "PullRequest", field, code: "invalid" }],
  });
const custom = (message: string) =>
  new HttpError(422, "Validation Failed", {
    errors: [{ resource: "PullRequest", code: "custom", message }],
  });

/**
 * Opens a pull request as GitHub does: `head` is a branch of the repository or
 * `owner:branch` of a fork, both refs must exist, the head must have commits the base
 * lacks, and only one open pull request per head and base. The head commit is copied
 * to `refs/pull/N/head` of the base repository, and `pull_request.opened` is sent.
 * `checkHead` lets the caller refuse a head repository the actor cannot push to.
 */
export async function createPullRequest(
  sim: Sim,
  params: {
    repository: RepositoryRecord;
    author: UserRecord;
    viaAppId?: number | null;
    title: string | undefined;
    body?: string | null;
    head: string;
    /** The fork's name when it differs from the base repository's. */
    headRepo?: string;
    base: string;
    draft?: boolean;
    maintainerCanModify?: boolean;
    checkHead?: (headRepository: RepositoryRecord) => void;
  },
): Promise<PullRequestRecord> {
  const { state } = sim;
  const { repository, author } = params;
  const home = sim.git.home;
  if (!params.title) {
    throw new HttpError(422, "Validation Failed", {
      errors: [{ resource: "PullRequest", code: "missing_field", field: "title" }],
    });
  }
  const colon = params.head.indexOf(":");
  const headOwner = colon < 0 ? undefined : params.head.slice(0, colon);
  const headRef = colon < 0 ? params.head : params.head.slice(colon + 1);
  const headRepository = resolveHeadRepository(sim, repository, headOwner, params.headRepo);
  if (!headRepository) throw invalid("head");
  params.checkHead?.(headRepository);

  const [headRefs, baseRefs] = await Promise.all([
    readRefs(headRepository.gitDir),
    readRefs(repository.gitDir),
  ]);
  const headSha = headRefs.get(`refs/heads/${headRef}`);
  const baseSha = baseRefs.get(`refs/heads/${params.base}`);
  if (!baseSha) throw invalid("base");
  if (!headSha) throw invalid("head");
  const label = `${state.user(headRepository.ownerId).login}:${headRef}`;
  const duplicate = () => {
    for (const pull of state.pulls.values()) {
      if (
        pull.repositoryId === repository.id &&
        pull.head.repositoryId === headRepository.id &&
        pull.head.ref === headRef &&
        pull.base.ref === params.base &&
        state.issue(repository.id, pull.number)?.state === "open"
      ) {
        throw custom(`A pull request already exists for ${label}.`);
      }
    }
  };
  duplicate();

  // A fork's commits are copied into the base repository (GitHub shares the objects).
  const incoming = `refs/fake/incoming/${randomBytes(6).toString("hex")}`;
  if (headRepository.id !== repository.id) {
    await runGit(
      ["fetch", "--quiet", "--no-tags", headRepository.gitDir, `${headSha}:${incoming}`],
      {
        home,
        gitDir: repository.gitDir,
      },
    );
  }
  try {
    const contained = await runGit(["merge-base", "--is-ancestor", headSha, baseSha], {
      home,
      gitDir: repository.gitDir,
      allowExitCodes: [1],
    });
    if (contained.code === 0) throw custom(`No commits between ${params.base} and ${headRef}`);
    const stats = await computePullStats({ gitDir: repository.gitDir, home, baseSha, headSha });
    duplicate(); // again: another request may have opened one while git ran

    repository.lastNumber++;
    const number = repository.lastNumber;
    const now = sim.clock.iso();
    const issueId = state.nextId("issue");
    state.issues.set(`${repository.id}#${number}`, {
      id: issueId,
      nodeId: state.nodeId("Issue", issueId),
      repositoryId: repository.id,
      number,
      title: params.title,
      body: params.body ?? null,
      authorId: author.id,
      viaAppId: params.viaAppId ?? null,
      state: "open",
      stateReason: null,
      labelIds: [],
      assigneeIds: [],
      isPullRequest: true,
      createdAt: now,
      updatedAt: now,
      closedAt: null,
      closedById: null,
    });
    const id = state.nextId("pull");
    const pull: PullRequestRecord = {
      id,
      nodeId: state.nodeId("PullRequest", id),
      repositoryId: repository.id,
      number,
      head: { repositoryId: headRepository.id, ref: headRef, sha: headSha },
      base: { ref: params.base, sha: baseSha },
      draft: params.draft ?? false,
      merged: false,
      mergedAt: null,
      maintainerCanModify: params.maintainerCanModify ?? headRepository.id !== repository.id,
      requestedReviewerIds: [],
      stats,
    };
    state.pulls.set(`${repository.id}#${number}`, pull);
    await runGit(["update-ref", `refs/pull/${number}/head`, headSha], {
      home,
      gitDir: repository.gitDir,
    });
    emitRepositoryEvent(sim, {
      event: "pull_request",
      action: "opened",
      repository,
      sender: author,
      fields: (example) => ({
        number,
        pull_request: renderPullRequest(sim, pull, example.pull_request as Record<string, unknown>),
      }),
    });
    return pull;
  } finally {
    if (headRepository.id !== repository.id) {
      await runGit(["update-ref", "-d", incoming], { home, gitDir: repository.gitDir }).catch(
        () => {},
      );
    }
  }
}

function resolveHeadRepository(
  sim: Sim,
  base: RepositoryRecord,
  owner: string | undefined,
  name: string | undefined,
): RepositoryRecord | undefined {
  const baseOwner = sim.state.user(base.ownerId).login;
  if (owner === undefined || owner.toLowerCase() === baseOwner.toLowerCase()) {
    if (name === undefined || name.toLowerCase() === base.name.toLowerCase()) return base;
  }
  const forkOwner = owner ?? baseOwner;
  const candidates = [...sim.state.repositories.values()].filter(
    (repository) =>
      repository.parentId === base.id &&
      sim.state.user(repository.ownerId).login.toLowerCase() === forkOwner.toLowerCase(),
  );
  return name === undefined
    ? candidates[0]
    : candidates.find((repository) => repository.name.toLowerCase() === name.toLowerCase());
}
