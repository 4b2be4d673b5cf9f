// The fake's state, one record per GitHub object. This file holds types only: the
// state they live in is `GitHubState`, created per server (no module-level data).
import type { KeyObject } from "node:crypto";

/** A person's role on a repository, weakest last. */
export type RepositoryRole = "admin" | "maintain" | "write" | "triage" | "read";

/** A GitHub App permission level (`metadata: read`, `contents: write`, ...). */
export type PermissionLevel = "read" | "write" | "admin";

/** GitHub App permissions by name, as in the REST API. */
export type Permissions = Record<string, PermissionLevel>;

/** A user, an organization, or an app's bot user. */
export interface UserRecord {
  id: number;
  nodeId: string;
  login: string;
  type: "User" | "Organization" | "Bot";
  name: string | null;
  email: string | null;
  createdAt: string;
}

export interface AppRecord {
  id: number;
  nodeId: string;
  slug: string;
  name: string;
  description: string;
  clientId: string;
  clientSecret: string;
  webhookSecret: string;
  /** Where webhooks go; null: the app receives none. */
  webhookUrl: string | null;
  /** PEM (PKCS#1), as GitHub hands it out. */
  privateKey: string;
  publicKey: KeyObject;
  ownerId: number;
  /** The `<slug>[bot]` user that installation tokens act as. */
  botId: number;
  permissions: Permissions;
  /** Webhook events the app subscribes to (installation ones always arrive). */
  events: string[];
  /** OAuth callback URLs; the first is the default `redirect_uri`. */
  callbackUrls: string[];
  setupUrl: string | null;
  /** With expiry (GitHub's default) user tokens last 8 h and come with refresh tokens. */
  expireUserTokens: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface InstallationRecord {
  id: number;
  appId: number;
  accountId: number;
  installerId: number;
  repositorySelection: "all" | "selected";
  /** With `selected`: the repositories chosen. */
  repositoryIds: number[];
  permissions: Permissions;
  events: string[];
  createdAt: string;
  updatedAt: string;
  suspendedAt: string | null;
}

export interface LabelRecord {
  id: number;
  nodeId: string;
  repositoryId: number;
  name: string;
  color: string;
  description: string | null;
  isDefault: boolean;
  /** Last created or edited: GitHub's `Last-Modified` for the label. */
  updatedAt: string;
}

export interface RepositoryRecord {
  id: number;
  nodeId: string;
  ownerId: number;
  name: string;
  private: boolean;
  description: string | null;
  defaultBranch: string;
  /** The bare repository on disk that git and the API read. */
  gitDir: string;
  /** The repository this one is a fork of. */
  parentId: number | null;
  createdAt: string;
  updatedAt: string;
  pushedAt: string;
  /** Issues and pull requests share one numbering, as on GitHub. */
  lastNumber: number;
  /** By user id; the owner is admin without an entry. */
  collaborators: Map<number, RepositoryRole>;
  /** By lower-cased name: GitHub label names are case-insensitive. */
  labels: Map<string, LabelRecord>;
  /** Branches with protection rules (exact names), as `GET branches/{branch}` reports them. */
  protectedBranches: Set<string>;
  /** Active branch rulesets, as `GET rules/branches/{branch}` reports the rules they apply. */
  branchRulesets: BranchRulesetRecord[];
}

/** A branch rule's type, as in GitHub's rulesets (`repository-rule-detailed`'s `type`). */
export type BranchRuleType =
  | "creation"
  | "update"
  | "deletion"
  | "non_fast_forward"
  | "pull_request"
  | "required_linear_history"
  | "required_signatures";

/** A repository ruleset targeting branches: which names (a glob) and which rules. */
export interface BranchRulesetRecord {
  id: number;
  /** Branch names it targets: `*` within one path segment, `**` across `/`, `~ALL` every branch. */
  pattern: string;
  rules: BranchRuleType[];
}

/** An issue; a pull request is an issue too and keeps its title, body and state here. */
export interface IssueRecord {
  id: number;
  nodeId: string;
  repositoryId: number;
  number: number;
  title: string;
  body: string | null;
  authorId: number;
  /** The app whose token created it (`performed_via_github_app`). */
  viaAppId: number | null;
  state: "open" | "closed";
  stateReason: "completed" | "not_planned" | "reopened" | null;
  labelIds: number[];
  /** People assigned, in the order they were added. */
  assigneeIds: number[];
  isPullRequest: boolean;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  closedById: number | null;
}

export interface PullRequestRecord {
  id: number;
  nodeId: string;
  repositoryId: number;
  number: number;
  /** The head may live in a fork. */
  head: { repositoryId: number; ref: string; sha: string };
  base: { ref: string; sha: string };
  draft: boolean;
  merged: boolean;
  mergedAt: string | null;
  maintainerCanModify: boolean;
  /** People asked to review, in the order they were asked. */
  requestedReviewerIds: number[];
  /** From git (`rev-list`, `diff --numstat`), refreshed on every push to the head. */
  stats: { commits: number; additions: number; deletions: number; changedFiles: number };
}

export interface IssueCommentRecord {
  id: number;
  nodeId: string;
  repositoryId: number;
  issueNumber: number;
  body: string;
  authorId: number;
  viaAppId: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface ReviewCommentRecord {
  id: number;
  nodeId: string;
  repositoryId: number;
  pullNumber: number;
  reviewId: number;
  body: string;
  authorId: number;
  viaAppId: number | null;
  path: string;
  /** Line in the new (RIGHT) or old (LEFT) file; null for a file-level comment. */
  line: number | null;
  side: "LEFT" | "RIGHT";
  startLine: number | null;
  startSide: "LEFT" | "RIGHT" | null;
  diffHunk: string;
  commitId: string;
  originalCommitId: string;
  /** Replies point at the thread's first comment, as on GitHub. */
  inReplyToId: number | null;
  createdAt: string;
  updatedAt: string;
}

export type ReactionContent =
  | "+1"
  | "-1"
  | "laugh"
  | "confused"
  | "heart"
  | "hooray"
  | "rocket"
  | "eyes";

export interface ReactionRecord {
  id: number;
  nodeId: string;
  subject: { type: "issue" | "issue_comment" | "review_comment"; id: number };
  content: ReactionContent;
  userId: number;
  createdAt: string;
}

export interface InstallationTokenRecord {
  kind: "installation";
  token: string;
  installationId: number;
  expiresAt: number;
  permissions: Permissions;
  /** Narrowed to these repositories; null: all the installation can reach. */
  repositoryIds: number[] | null;
}

/** A personal access token: acts as its user with the user's own access, never expires. */
export interface PersonalTokenRecord {
  kind: "personal";
  token: string;
  userId: number;
}

/** A GitHub App user access token (`ghu_`): the user's access within the app's. */
export interface UserToServerTokenRecord {
  kind: "user-to-server";
  token: string;
  userId: number;
  appId: number;
  /** Null when the app does not expire user tokens. */
  expiresAt: number | null;
}

export type TokenRecord = InstallationTokenRecord | PersonalTokenRecord | UserToServerTokenRecord;

export interface RefreshTokenRecord {
  token: string;
  userId: number;
  appId: number;
  expiresAt: number;
  /** The access token issued with it, revoked when this one is used. */
  accessToken: string;
}

export interface OAuthCodeRecord {
  code: string;
  appId: number;
  userId: number;
  redirectUri: string | null;
  expiresAt: number;
}
