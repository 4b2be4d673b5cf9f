import type {
  AppRecord,
  InstallationRecord,
  IssueCommentRecord,
  IssueRecord,
  OAuthCodeRecord,
  PullRequestRecord,
  ReactionRecord,
  RefreshTokenRecord,
  RepositoryRecord,
  ReviewCommentRecord,
  TokenRecord,
  UserRecord,
} from "./records.js";

type NodeType =
  | "User"
  | "Bot"
  | "Organization"
  | "Repository"
  | "Issue"
  | "PullRequest"
  | "IssueComment"
  | "PullRequestReviewComment"
  | "Label"
  | "Reaction"
  | "Integration"
  | "Installation";

// Prefixes of GitHub's current global node ids (`PR_kwDO...`).
const NODE_PREFIX: Record<NodeType, string> = {
  User: "U",
  Bot: "BOT",
  Organization: "O",
  Repository: "R",
  Issue: "I",
  PullRequest: "PR",
  IssueComment: "IC",
  PullRequestReviewComment: "PRRC",
  Label: "LA",
  Reaction: "REA",
  Integration: "A",
  Installation: "MDI",
};

// Ids of different kinds start far apart so a test mixing them up fails loudly.
const FIRST_ID: Record<string, number> = {
  user: 5_000_001,
  app: 900_001,
  installation: 40_000_001,
  repository: 700_000_001,
  issue: 2_000_000_001,
  pull: 1_500_000_001,
  issueComment: 3_000_000_001,
  reviewComment: 1_800_000_001,
  review: 2_500_000_001,
  reaction: 300_000_001,
  label: 6_000_000_001,
  delivery: 80_000_000_001,
};

/**
 * Everything the fake knows, in memory, for one server. Lookups by name are
 * case-insensitive like GitHub's; records are mutated in place by the operations.
 */
export class GitHubState {
  readonly users = new Map<number, UserRecord>();
  readonly apps = new Map<number, AppRecord>();
  readonly installations = new Map<number, InstallationRecord>();
  readonly repositories = new Map<number, RepositoryRecord>();
  /** Old `owner/name` (lower case) of renamed repositories -> repository id. */
  readonly renamed = new Map<string, number>();
  /** By `${repositoryId}#${number}`. */
  readonly issues = new Map<string, IssueRecord>();
  /** By `${repositoryId}#${number}`. */
  readonly pulls = new Map<string, PullRequestRecord>();
  readonly issueComments = new Map<number, IssueCommentRecord>();
  readonly reviewComments = new Map<number, ReviewCommentRecord>();
  readonly reactions = new Map<number, ReactionRecord>();
  readonly tokens = new Map<string, TokenRecord>();
  readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  readonly oauthCodes = new Map<string, OAuthCodeRecord>();
  /** Users who authorized an app (OAuth), by `${appId}:${userId}`. */
  readonly authorizations = new Set<string>();
  private readonly nodes = new Map<string, { type: NodeType; id: number }>();
  private readonly counters = new Map<string, number>();

  nextId(kind: keyof typeof FIRST_ID): number {
    const next = this.counters.get(kind) ?? FIRST_ID[kind] ?? 1;
    this.counters.set(kind, next + 1);
    return next;
  }

  /** A global node id shaped like GitHub's, remembered so `node(id)` can find it. */
  nodeId(type: NodeType, id: number): string {
    const nodeId = `${NODE_PREFIX[type]}_kwDO${Buffer.from(`${type}:${id}`).toString("base64url")}`;
    this.nodes.set(nodeId, { type, id });
    return nodeId;
  }

  node(nodeId: string): { type: NodeType; id: number } | undefined {
    return this.nodes.get(nodeId);
  }

  user(id: number): UserRecord {
    const user = this.users.get(id);
    if (!user) throw new Error(`no user ${id}`);
    return user;
  }

  userByLogin(login: string): UserRecord | undefined {
    const wanted = login.toLowerCase();
    for (const user of this.users.values()) if (user.login.toLowerCase() === wanted) return user;
    return undefined;
  }

  app(id: number): AppRecord {
    const app = this.apps.get(id);
    if (!app) throw new Error(`no app ${id}`);
    return app;
  }

  appByClientId(clientId: string): AppRecord | undefined {
    for (const app of this.apps.values()) if (app.clientId === clientId) return app;
    return undefined;
  }

  appBySlug(slug: string): AppRecord | undefined {
    for (const app of this.apps.values()) if (app.slug === slug) return app;
    return undefined;
  }

  repository(id: number): RepositoryRecord {
    const repository = this.repositories.get(id);
    if (!repository) throw new Error(`no repository ${id}`);
    return repository;
  }

  repositoryByName(owner: string, name: string): RepositoryRecord | undefined {
    const wantedOwner = owner.toLowerCase();
    const wantedName = name.toLowerCase();
    for (const repository of this.repositories.values()) {
      if (
        repository.name.toLowerCase() === wantedName &&
        this.user(repository.ownerId).login.toLowerCase() === wantedOwner
      ) {
        return repository;
      }
    }
    // GitHub redirects a renamed repository's old name (API and git) to the new one.
    const renamedTo = this.renamed.get(`${wantedOwner}/${wantedName}`);
    return renamedTo === undefined ? undefined : this.repositories.get(renamedTo);
  }

  /** `owner/name` of a repository. */
  fullName(repository: RepositoryRecord): string {
    return `${this.user(repository.ownerId).login}/${repository.name}`;
  }

  issue(repositoryId: number, number: number): IssueRecord | undefined {
    return this.issues.get(`${repositoryId}#${number}`);
  }

  pull(repositoryId: number, number: number): PullRequestRecord | undefined {
    return this.pulls.get(`${repositoryId}#${number}`);
  }

  /** Installations (not suspended) that reach a repository, one per app at most. */
  installationsFor(repository: RepositoryRecord): InstallationRecord[] {
    return [...this.installations.values()].filter(
      (installation) =>
        installation.suspendedAt === null && this.installationReaches(installation, repository),
    );
  }

  installationReaches(installation: InstallationRecord, repository: RepositoryRecord): boolean {
    if (installation.accountId !== repository.ownerId) return false;
    return (
      installation.repositorySelection === "all" ||
      installation.repositoryIds.includes(repository.id)
    );
  }

  /** Repositories an installation reaches, in creation order. */
  installationRepositories(installation: InstallationRecord): RepositoryRecord[] {
    return [...this.repositories.values()].filter((repository) =>
      this.installationReaches(installation, repository),
    );
  }
}
