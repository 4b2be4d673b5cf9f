import { GraphQLError } from "graphql";
import { actingAs } from "../auth/acting-as.js";
import type { Actor } from "../auth/actor.js";
import { requireRepositoryAccess } from "../auth/require-repository-access.js";
import { requireRoleOrAuthor } from "../auth/require-role-or-author.js";
import { HttpError } from "../http/http-error.js";
import { refreshPullRequest } from "../operations/refresh-pull-request.js";
import { setPullRequestDraft } from "../operations/set-pull-request-draft.js";
import type {
  IssueCommentRecord,
  IssueRecord,
  PullRequestRecord,
  RepositoryRecord,
  ReviewCommentRecord,
  UserRecord,
} from "../records.js";
import type { Sim } from "../sim.js";

type View = Record<string, unknown>;

/**
 * The root value graphql-js executes the subset schema against, for one request's
 * actor: plain objects whose fields are values or resolver functions. Objects the actor
 * may not see resolve to null with GitHub's NOT_FOUND error; forbidden mutations fail
 * with FORBIDDEN, as GitHub answers (HTTP 200 with `errors`).
 */
export function createGraphqlRoot(sim: Sim, actor: Actor): View {
  const { state } = sim;
  const { web } = sim.urls;

  const notFound = (message: string) =>
    new GraphQLError(message, { extensions: { type: "NOT_FOUND" } });
  const forbidden = (message: string) =>
    new GraphQLError(message, { extensions: { type: "FORBIDDEN", saml_failure: false } });

  /** Whether the actor can see (and with `write`, change pull requests of) a repository. */
  const check = (repository: RepositoryRecord, write: boolean): boolean => {
    const owner = state.user(repository.ownerId).login;
    try {
      requireRepositoryAccess(sim, actor, owner, repository.name, {
        permission: write ? "pull_requests" : "metadata",
        level: write ? "write" : "read",
        role: "read",
      });
      return true;
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      if (error.status === 403) throw forbidden(error.message);
      return false;
    }
  };

  const userView = (user: UserRecord): View => ({
    __typename:
      user.type === "Bot" ? "Bot" : user.type === "Organization" ? "Organization" : "User",
    id: user.nodeId,
    databaseId: user.id,
    login: user.login,
    name: user.name,
    url:
      user.type === "Bot"
        ? `${web}/apps/${user.login.replace(/\[bot\]$/, "")}`
        : `${web}/${user.login}`,
    resourcePath: `/${user.login}`,
    avatarUrl: () => `${web}/avatars/u/${user.id}?v=4`,
  });

  const repositoryView = (repository: RepositoryRecord): View => {
    const fullName = state.fullName(repository);
    return {
      __typename: "Repository",
      id: repository.nodeId,
      databaseId: repository.id,
      name: repository.name,
      nameWithOwner: fullName,
      isPrivate: repository.private,
      url: `${web}/${fullName}`,
      owner: () => userView(state.user(repository.ownerId)),
      defaultBranchRef: {
        __typename: "Ref",
        id: `REF_kwDO${Buffer.from(`${repository.id}:refs/heads/${repository.defaultBranch}`).toString("base64url")}`,
        name: repository.defaultBranch,
        prefix: "refs/heads/",
      },
      pullRequest: ({ number }: { number: number }) => {
        const pull = state.pull(repository.id, number);
        if (!pull)
          throw notFound(`Could not resolve to a PullRequest with the number of ${number}.`);
        return pullView(pull);
      },
      issue: ({ number }: { number: number }) => {
        const issue = state.issue(repository.id, number);
        if (!issue || issue.isPullRequest) {
          throw notFound(`Could not resolve to an Issue with the number of ${number}.`);
        }
        return issueView(issue);
      },
    };
  };

  const pullView = (pull: PullRequestRecord): View => {
    const repository = state.repository(pull.repositoryId);
    const issue = state.issue(repository.id, pull.number) as IssueRecord;
    const url = `${web}/${state.fullName(repository)}/pull/${pull.number}`;
    const fresh = async () => {
      await refreshPullRequest(sim, pull);
      return pull;
    };
    return {
      __typename: "PullRequest",
      id: pull.nodeId,
      databaseId: pull.id,
      number: pull.number,
      title: issue.title,
      body: issue.body ?? "",
      isDraft: pull.draft,
      state: pull.merged ? "MERGED" : issue.state === "open" ? "OPEN" : "CLOSED",
      closed: issue.state === "closed",
      merged: pull.merged,
      url,
      permalink: url,
      headRefName: pull.head.ref,
      headRefOid: async () => (await fresh()).head.sha,
      baseRefName: pull.base.ref,
      baseRefOid: async () => (await fresh()).base.sha,
      createdAt: issue.createdAt,
      updatedAt: issue.updatedAt,
      author: () => userView(state.user(issue.authorId)),
      repository: () => repositoryView(repository),
      headRepository: () => repositoryView(state.repository(pull.head.repositoryId)),
    };
  };

  const issueView = (issue: IssueRecord): View => {
    const repository = state.repository(issue.repositoryId);
    return {
      __typename: "Issue",
      id: issue.nodeId,
      databaseId: issue.id,
      number: issue.number,
      title: issue.title,
      body: issue.body ?? "",
      state: issue.state === "open" ? "OPEN" : "CLOSED",
      url: `${web}/${state.fullName(repository)}/issues/${issue.number}`,
      createdAt: issue.createdAt,
      author: () => userView(state.user(issue.authorId)),
      repository: () => repositoryView(repository),
    };
  };

  const commentView = (comment: IssueCommentRecord | ReviewCommentRecord): View => {
    const repository = state.repository(comment.repositoryId);
    const fullName = state.fullName(repository);
    const review = "pullNumber" in comment;
    return {
      __typename: review ? "PullRequestReviewComment" : "IssueComment",
      id: comment.nodeId,
      databaseId: comment.id,
      body: comment.body,
      createdAt: comment.createdAt,
      url: review
        ? `${web}/${fullName}/pull/${comment.pullNumber}#discussion_r${comment.id}`
        : `${web}/${fullName}/issues/${comment.issueNumber}#issuecomment-${comment.id}`,
      ...(review ? { path: comment.path } : {}),
      author: () => userView(state.user(comment.authorId)),
    };
  };

  /** The record behind a node id, if the actor may see it. */
  const resolveNode = (id: string): View | null => {
    const node = state.node(id);
    const missing = () => {
      throw notFound(`Could not resolve to a node with the global id of '${id}'`);
    };
    if (!node) return missing();
    const within = (repositoryId: number, view: () => View) =>
      check(state.repository(repositoryId), false) ? view() : missing();
    switch (node.type) {
      case "User":
      case "Bot":
      case "Organization":
        return userView(state.user(node.id));
      case "Repository":
        return within(node.id, () => repositoryView(state.repository(node.id)));
      case "PullRequest": {
        const pull = [...state.pulls.values()].find((candidate) => candidate.id === node.id);
        return pull ? within(pull.repositoryId, () => pullView(pull)) : missing();
      }
      case "Issue": {
        const issue = [...state.issues.values()].find((candidate) => candidate.id === node.id);
        return issue ? within(issue.repositoryId, () => issueView(issue)) : missing();
      }
      case "IssueComment": {
        const comment = state.issueComments.get(node.id);
        return comment ? within(comment.repositoryId, () => commentView(comment)) : missing();
      }
      case "PullRequestReviewComment": {
        const comment = state.reviewComments.get(node.id);
        return comment ? within(comment.repositoryId, () => commentView(comment)) : missing();
      }
      default:
        return missing();
    }
  };

  const setDraft =
    (draft: boolean) =>
    ({ input }: { input: { pullRequestId: string; clientMutationId?: string } }) => {
      const node = state.node(input.pullRequestId);
      const pull =
        node?.type === "PullRequest"
          ? [...state.pulls.values()].find((candidate) => candidate.id === node.id)
          : undefined;
      const repository = pull ? state.repository(pull.repositoryId) : undefined;
      if (!pull || !repository || !check(repository, false)) {
        throw notFound(
          `Could not resolve to a node with the global id of '${input.pullRequestId}'`,
        );
      }
      check(repository, true);
      const issue = state.issue(repository.id, pull.number) as IssueRecord;
      try {
        requireRoleOrAuthor(actor, repository, issue.authorId, "write");
      } catch (error) {
        if (error instanceof HttpError) throw forbidden(error.message);
        throw error;
      }
      setPullRequestDraft(sim, { pull, draft, actor: actingAs(actor).user });
      return { clientMutationId: input.clientMutationId ?? null, pullRequest: pullView(pull) };
    };

  return {
    node: ({ id }: { id: string }) => resolveNode(id),
    nodes: ({ ids }: { ids: string[] }) =>
      ids.map((id) => {
        try {
          return resolveNode(id);
        } catch {
          return null;
        }
      }),
    repository: ({ owner, name }: { owner: string; name: string }) => {
      const repository = state.repositoryByName(owner, name);
      if (!repository || !check(repository, false)) {
        throw notFound(`Could not resolve to a Repository with the name '${owner}/${name}'.`);
      }
      return repositoryView(repository);
    },
    viewer: () => {
      if (actor.type !== "user") throw forbidden("Resource not accessible by integration");
      return userView(actor.user);
    },
    markPullRequestReadyForReview: setDraft(false),
    convertPullRequestToDraft: setDraft(true),
  };
}
