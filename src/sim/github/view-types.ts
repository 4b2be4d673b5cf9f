// What the fake's accessors hand to tests: records joined with what a test asserts on
// (logins instead of ids, a pull request's title and state from its issue). Types only.

export interface IssueView {
  id: number;
  nodeId: string;
  repository: string;
  number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  author: string;
  /** Slug of the app whose token created it. */
  viaApp: string | null;
  labels: string[];
  assignees: string[];
  isPullRequest: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface IssueCommentView {
  id: number;
  nodeId: string;
  repository: string;
  issueNumber: number;
  body: string;
  author: string;
  viaApp: string | null;
  htmlUrl: string;
  createdAt: string;
  updatedAt: string;
}

export interface PullRequestView {
  id: number;
  nodeId: string;
  repository: string;
  number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  merged: boolean;
  draft: boolean;
  author: string;
  viaApp: string | null;
  /** `repository` is `owner/name`; a fork's when the head is in a fork. */
  head: { repository: string; ref: string; sha: string };
  base: { ref: string; sha: string };
  labels: string[];
  assignees: string[];
  requestedReviewers: string[];
  htmlUrl: string;
  createdAt: string;
}

export interface ReviewCommentView {
  id: number;
  nodeId: string;
  repository: string;
  pullNumber: number;
  body: string;
  author: string;
  viaApp: string | null;
  path: string;
  line: number | null;
  side: "LEFT" | "RIGHT";
  diffHunk: string;
  commitId: string;
  inReplyToId: number | null;
  createdAt: string;
}

export interface ReactionView {
  id: number;
  content: string;
  user: string;
  subject: { type: "issue" | "issue_comment" | "review_comment"; id: number };
  createdAt: string;
}

export interface LabelView {
  id: number;
  name: string;
  color: string;
  description: string | null;
}
