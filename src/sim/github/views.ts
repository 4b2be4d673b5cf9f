import type { GitHubState } from "./github-state.js";
import type {
  IssueCommentRecord,
  IssueRecord,
  LabelRecord,
  PullRequestRecord,
  ReactionRecord,
  ReviewCommentRecord,
} from "./records.js";
import type {
  IssueCommentView,
  IssueView,
  LabelView,
  PullRequestView,
  ReactionView,
  ReviewCommentView,
} from "./view-types.js";

/** Turns records into the views the fake's accessors return. */
export class Views {
  constructor(
    private readonly state: GitHubState,
    private readonly web: string,
  ) {}

  issue(issue: IssueRecord): IssueView {
    const repository = this.state.repository(issue.repositoryId);
    return {
      id: issue.id,
      nodeId: issue.nodeId,
      repository: this.state.fullName(repository),
      number: issue.number,
      title: issue.title,
      body: issue.body,
      state: issue.state,
      author: this.login(issue.authorId),
      viaApp: this.appSlug(issue.viaAppId),
      labels: this.labelNames(issue),
      assignees: issue.assigneeIds.map((id) => this.login(id)),
      isPullRequest: issue.isPullRequest,
      createdAt: issue.createdAt,
      updatedAt: issue.updatedAt,
    };
  }

  issueComment(comment: IssueCommentRecord): IssueCommentView {
    const repository = this.state.repository(comment.repositoryId);
    const fullName = this.state.fullName(repository);
    const kind = this.state.issue(repository.id, comment.issueNumber)?.isPullRequest
      ? "pull"
      : "issues";
    return {
      id: comment.id,
      nodeId: comment.nodeId,
      repository: fullName,
      issueNumber: comment.issueNumber,
      body: comment.body,
      author: this.login(comment.authorId),
      viaApp: this.appSlug(comment.viaAppId),
      htmlUrl: `${this.web}/${fullName}/${kind}/${comment.issueNumber}#issuecomment-${comment.id}`,
      createdAt: comment.createdAt,
      updatedAt: comment.updatedAt,
    };
  }

  pullRequest(pull: PullRequestRecord): PullRequestView {
    const repository = this.state.repository(pull.repositoryId);
    const issue = this.state.issue(repository.id, pull.number) as IssueRecord;
    const fullName = this.state.fullName(repository);
    return {
      id: pull.id,
      nodeId: pull.nodeId,
      repository: fullName,
      number: pull.number,
      title: issue.title,
      body: issue.body,
      state: issue.state,
      merged: pull.merged,
      draft: pull.draft,
      author: this.login(issue.authorId),
      viaApp: this.appSlug(issue.viaAppId),
      head: {
        repository: this.state.fullName(this.state.repository(pull.head.repositoryId)),
        ref: pull.head.ref,
        sha: pull.head.sha,
      },
      base: { ...pull.base },
      labels: this.labelNames(issue),
      assignees: issue.assigneeIds.map((id) => this.login(id)),
      requestedReviewers: pull.requestedReviewerIds.map((id) => this.login(id)),
      htmlUrl: `${this.web}/${fullName}/pull/${pull.number}`,
      createdAt: issue.createdAt,
    };
  }

  reviewComment(comment: ReviewCommentRecord): ReviewCommentView {
    return {
      id: comment.id,
      nodeId: comment.nodeId,
      repository: this.state.fullName(this.state.repository(comment.repositoryId)),
      pullNumber: comment.pullNumber,
      body: comment.body,
      author: this.login(comment.authorId),
      viaApp: this.appSlug(comment.viaAppId),
      path: comment.path,
      line: comment.line,
      side: comment.side,
      diffHunk: comment.diffHunk,
      commitId: comment.commitId,
      inReplyToId: comment.inReplyToId,
      createdAt: comment.createdAt,
    };
  }

  reaction(reaction: ReactionRecord): ReactionView {
    return {
      id: reaction.id,
      content: reaction.content,
      user: this.login(reaction.userId),
      subject: { ...reaction.subject },
      createdAt: reaction.createdAt,
    };
  }

  label(label: LabelRecord): LabelView {
    return { id: label.id, name: label.name, color: label.color, description: label.description };
  }

  private login(userId: number): string {
    return this.state.user(userId).login;
  }

  private appSlug(appId: number | null): string | null {
    return appId === null ? null : this.state.app(appId).slug;
  }

  private labelNames(issue: IssueRecord): string[] {
    const repository = this.state.repository(issue.repositoryId);
    const byId = new Map([...repository.labels.values()].map((label) => [label.id, label.name]));
    return issue.labelIds.flatMap((id) => byId.get(id) ?? []);
  }
}
