import { computeDiffHunk } from "../git/compute-diff-hunk.js";
import { HttpError } from "../http/http-error.js";
import type {
  PullRequestRecord,
  RepositoryRecord,
  ReviewCommentRecord,
  UserRecord,
} from "../records.js";
import { renderPullRequest } from "../render/render-pull-request.js";
import { renderReviewComment } from "../render/render-review-comment.js";
import type { Sim } from "../sim.js";
import { emitRepositoryEvent } from "../webhooks/emit-repository-event.js";

/**
 * Comments on a line of a pull request's diff, or replies in a thread (`inReplyTo`:
 * then path, line and hunk come from the thread, and the reply points at the thread's
 * first comment, as on GitHub). The `diff_hunk` is computed from git unless given.
 * Sends `pull_request_review_comment.created`.
 */
export async function createReviewComment(
  sim: Sim,
  params: {
    repository: RepositoryRecord;
    pull: PullRequestRecord;
    author: UserRecord;
    viaAppId?: number | null;
    body: string;
    inReplyTo?: ReviewCommentRecord;
    path?: string;
    line?: number;
    side?: "LEFT" | "RIGHT";
    startLine?: number | null;
    commitId?: string;
    /** Skips computing it from git (seeding a comment on a line outside the diff). */
    diffHunk?: string;
  },
): Promise<ReviewCommentRecord> {
  const { state } = sim;
  const { repository, pull, author } = params;
  if (!params.body) {
    throw new HttpError(422, "Validation Failed", {
      errors: [{ resource: "PullRequestReviewComment", code: "missing_field", field: "body" }],
    });
  }
  let fields: Pick<
    ReviewCommentRecord,
    "path" | "line" | "side" | "startLine" | "startSide" | "diffHunk" | "commitId" | "inReplyToId"
  >;
  const root = params.inReplyTo
    ? params.inReplyTo.inReplyToId === null
      ? params.inReplyTo
      : state.reviewComments.get(params.inReplyTo.inReplyToId)
    : undefined;
  if (params.inReplyTo) {
    if (!root) throw new HttpError(404, "Not Found");
    fields = {
      path: root.path,
      line: root.line,
      side: root.side,
      startLine: root.startLine,
      startSide: root.startSide,
      diffHunk: root.diffHunk,
      commitId: root.commitId,
      inReplyToId: root.id,
    };
  } else {
    if (!params.path || params.line === undefined) {
      throw new HttpError(422, "Validation Failed", {
        errors: [
          {
            resource: "PullRequestReviewComment",
            code: "missing_field",
            field: params.path ? "line" : "path",
          },
        ],
      });
    }
    const side = params.side ?? "RIGHT";
    const commitId = params.commitId ?? pull.head.sha;
    const diffHunk =
      params.diffHunk ??
      (await computeDiffHunk({
        gitDir: repository.gitDir,
        home: sim.git.home,
        baseSha: pull.base.sha,
        headSha: commitId,
        path: params.path,
        line: params.line,
        side,
      }).catch(() => undefined));
    if (diffHunk === undefined) {
      throw new HttpError(422, "Unprocessable Entity", {
        errors: [
          {
            resource: "PullRequestReviewComment",
            code: "custom",
            message: "pull_request_review_thread.line must be part of the diff",
          },
        ],
      });
    }
    fields = {
      path: params.path,
      line: params.line,
      side,
      startLine: params.startLine ?? null,
      startSide: params.startLine ? side : null,
      diffHunk,
      commitId,
      inReplyToId: null,
    };
  }
  const id = state.nextId("reviewComment");
  const now = sim.clock.iso();
  const comment: ReviewCommentRecord = {
    id,
    nodeId: state.nodeId("PullRequestReviewComment", id),
    repositoryId: repository.id,
    pullNumber: pull.number,
    // Each comment made outside a pending review is its own single-comment review.
    reviewId: state.nextId("review"),
    body: params.body,
    authorId: author.id,
    viaAppId: params.viaAppId ?? null,
    originalCommitId: fields.commitId,
    createdAt: now,
    updatedAt: now,
    ...fields,
  };
  state.reviewComments.set(id, comment);
  emitRepositoryEvent(sim, {
    event: "pull_request_review_comment",
    action: "created",
    repository,
    sender: author,
    fields: (example) => ({
      comment: renderReviewComment(sim, comment, example.comment as Record<string, unknown>),
      pull_request: renderPullRequest(sim, pull, example.pull_request as Record<string, unknown>),
    }),
  });
  return comment;
}
