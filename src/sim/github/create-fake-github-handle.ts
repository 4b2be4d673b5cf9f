import type { GitHubState } from "./github-state.js";
import type { FaultInjector } from "./http/fault-injector.js";
import { addLabels } from "./operations/add-labels.js";
import { addReaction } from "./operations/add-reaction.js";
import { createApp } from "./operations/create-app.js";
import { createIssueComment } from "./operations/create-issue-comment.js";
import { createPersonalToken } from "./operations/create-personal-token.js";
import { createPullRequest } from "./operations/create-pull-request.js";
import { createRepository } from "./operations/create-repository.js";
import { createReviewComment } from "./operations/create-review-comment.js";
import { createUser } from "./operations/create-user.js";
import { installApp } from "./operations/install-app.js";
import { issueUserToken } from "./operations/issue-user-token.js";
import { mintInstallationToken } from "./operations/mint-installation-token.js";
import { openIssue } from "./operations/open-issue.js";
import { refreshPullRequest } from "./operations/refresh-pull-request.js";
import { removeLabel } from "./operations/remove-label.js";
import { revokeUserAuthorization } from "./operations/revoke-user-authorization.js";
import { suspendInstallation } from "./operations/suspend-installation.js";
import { uninstallApp } from "./operations/uninstall-app.js";
import type {
  AppRecord,
  BranchRuleType,
  InstallationRecord,
  IssueRecord,
  Permissions,
  ReactionContent,
  ReactionRecord,
  RepositoryRecord,
  RepositoryRole,
  UserRecord,
} from "./records.js";
import type { Sim } from "./sim.js";
import type { SimClock } from "./sim-clock.js";
import type {
  IssueCommentView,
  IssueView,
  LabelView,
  PullRequestView,
  ReactionView,
  ReviewCommentView,
} from "./view-types.js";
import { Views } from "./views.js";
import type { WebhookDelivery } from "./webhooks/webhook-sender.js";

/** An app as registered: what Probot needs to run as it. */
export interface FakeApp {
  id: number;
  slug: string;
  /** PKCS#1 PEM, as GitHub hands it out. */
  privateKey: string;
  clientId: string;
  clientSecret: string;
  webhookSecret: string;
}

/**
 * A running fake GitHub. Seeding helpers act as GitHub's web UI would (no auth checks)
 * and send the same webhooks as the API; accessors return views of the state; `state`
 * is the raw state for anything else. Repositories are named `owner/name`.
 */
export interface FakeGitHub {
  /** `127.0.0.1:PORT`: GHE_HOST. */
  host: string;
  /** `http://127.0.0.1:PORT`: web, OAuth and git (`${url}/owner/name.git`). */
  url: string;
  /** `${url}/api/v3`: Octokit's baseUrl. */
  apiUrl: string;
  graphqlUrl: string;
  dataDir: string;
  state: GitHubState;
  /** Move it forward to expire tokens without waiting. */
  clock: SimClock;
  /** Latency, 5xx and rate limits per method and path. */
  faults: FaultInjector;
  /** Every webhook delivery attempt so far, oldest first. */
  readonly deliveries: readonly WebhookDelivery[];

  createUser(params: { login: string; name?: string; email?: string }): UserRecord;
  createOrganization(params: { login: string; name?: string }): UserRecord;
  /** Registers an app with a generated key (or `privateKey`); default permissions suit Ship. */
  createApp(params: {
    slug: string;
    name?: string;
    owner?: string;
    webhookUrl?: string | null;
    webhookSecret?: string;
    privateKey?: string;
    permissions?: Permissions;
    events?: string[];
    callbackUrls?: string[];
    setupUrl?: string | null;
    expireUserTokens?: boolean;
  }): Promise<FakeApp>;
  setWebhookUrl(appId: number, url: string | null): void;
  /** A bare repository with one commit of `files` (a README by default); private by default. */
  createRepository(params: {
    owner: string;
    name: string;
    private?: boolean;
    description?: string | null;
    defaultBranch?: string;
    files?: Record<string, string>;
    /** `owner/name` to fork: the new repository is a bare clone owned by `owner`. */
    forkOf?: string;
  }): Promise<RepositoryRecord>;
  /** Installs and sends `installation.created`; resolves the installation. */
  installApp(params: {
    appId: number;
    account: string;
    installer?: string;
    repositories?: string[] | "all";
    permissions?: Permissions;
  }): InstallationRecord;
  /** Removes an installation (its tokens die) and sends `installation.deleted`. */
  uninstallApp(installationId: number, sender?: string): void;
  /** Suspends an installation (its tokens answer 403) and sends `installation.suspend`. */
  suspendInstallation(installationId: number, sender?: string): void;
  /** Renames a repository; its old name keeps answering, as GitHub's redirects do. */
  renameRepository(fullName: string, newName: string): void;
  /** Deletes a repository: its API, git and pages answer 404 from now on. */
  deleteRepository(fullName: string): void;
  /** Deletes an issue with its comments (GitHub lets admins do it): 404 from now on. */
  deleteIssue(repository: string, number: number): void;
  addCollaborator(repository: string, login: string, role: RepositoryRole): void;
  /** Protects a branch (as its settings page would): `GET branches/{branch}` says `protected`. */
  protectBranch(repository: string, branch: string): void;
  /**
   * Adds an active repository ruleset on branches matching `pattern` (`release/*`), as
   * its settings page would: `GET rules/branches/{branch}` lists its rules for any
   * matching name, whether or not that branch exists yet. Returns the ruleset's id.
   */
  addBranchRuleset(
    repository: string,
    ruleset: { pattern: string; rules: BranchRuleType[] },
  ): number;

  /** A personal access token (`ghp_`) acting as the user. */
  createPersonalToken(login: string): string;
  /** The user authorizes the app (skipping the web flow): a user access token and refresh token. */
  createUserToken(
    appId: number,
    login: string,
  ): { token: string; refreshToken: string | undefined; expiresAt: number | null };
  /** An installation token without a JWT round trip (tests of token scope use the API). */
  createInstallationToken(
    installationId: number,
    narrow?: { repositories?: string[]; permissions?: Permissions },
  ): string;
  /** The user revokes the app: its user tokens die and `github_app_authorization.revoked` is sent. */
  revokeUserAuthorization(appId: number, login: string): WebhookDelivery | undefined;

  createIssue(params: {
    repository: string;
    author: string;
    title: string;
    body?: string;
    labels?: string[];
  }): IssueView;
  createIssueComment(params: {
    repository: string;
    issueNumber: number;
    author: string;
    body: string;
  }): IssueCommentView;
  addLabels(params: {
    repository: string;
    issueNumber: number;
    labels: string[];
    actor: string;
  }): string[];
  removeLabel(params: {
    repository: string;
    issueNumber: number;
    label: string;
    actor: string;
  }): void;
  addReaction(params: {
    subject: ReactionRecord["subject"];
    content: ReactionContent;
    user: string;
  }): ReactionView;
  /** Opens a pull request as `author` (from a branch already pushed). */
  createPullRequest(params: {
    repository: string;
    author: string;
    title: string;
    head: string;
    base?: string;
    body?: string;
    draft?: boolean;
  }): Promise<PullRequestView>;
  /** A comment on a diff line (diff hunk from git unless given), or a reply in a thread. */
  createReviewComment(params: {
    repository: string;
    pullNumber: number;
    author: string;
    body: string;
    path?: string;
    line?: number;
    side?: "LEFT" | "RIGHT";
    inReplyTo?: number;
    diffHunk?: string;
  }): Promise<ReviewCommentView>;

  issue(repository: string, number: number): IssueView;
  issues(repository: string): IssueView[];
  /** Comments of one issue or pull request conversation, or of the whole repository. */
  issueComments(repository: string, issueNumber?: number): IssueCommentView[];
  /** Reactions, all or on one subject (`{type: "issue_comment", id}`). */
  reactions(subject?: ReactionRecord["subject"]): ReactionView[];
  /** The repository's labels. */
  labels(repository: string): LabelView[];
  /** Pull requests with head and base shas refreshed from git. */
  pullRequests(repository: string): Promise<PullRequestView[]>;
  pullRequest(repository: string, number: number): Promise<PullRequestView>;
  reviewComments(repository: string, pullNumber?: number): ReviewCommentView[];

  /** Resolves when every webhook sent so far (and any it led to) has been answered. */
  waitForDeliveries(): Promise<void>;
  /** The first answered delivery that matches, waiting up to `timeoutMs` (5 s) for it. */
  waitForDelivery(
    predicate: (delivery: WebhookDelivery) => boolean,
    timeoutMs?: number,
  ): Promise<WebhookDelivery>;
  /** Sends a delivery again with the same `X-GitHub-Delivery`; resolves when answered. */
  redeliver(guidOrId: string | number): Promise<WebhookDelivery>;
  stop(): Promise<void>;
}

/**
 * Builds the handle tests use around one running fake: seeding helpers that act as
 * GitHub's web UI would, and accessors that return views of the state.
 */
export function createFakeGitHubHandle(params: {
  sim: Sim;
  faults: FaultInjector;
  dataDir: string;
  stop: () => Promise<void>;
}): FakeGitHub {
  const { sim, faults } = params;
  const { state } = sim;
  const views = new Views(state, sim.urls.web);

  const user = (login: string): UserRecord => {
    const found = state.userByLogin(login);
    if (!found) throw new Error(`no user ${login}`);
    return found;
  };
  const repository = (fullName: string): RepositoryRecord => {
    const [owner = "", name = ""] = fullName.split("/");
    const found = state.repositoryByName(owner, name);
    if (!found) throw new Error(`no repository ${fullName}`);
    return found;
  };
  const issue = (fullName: string, number: number): IssueRecord => {
    const found = state.issue(repository(fullName).id, number);
    if (!found) throw new Error(`no issue ${fullName}#${number}`);
    return found;
  };
  const app = (appId: number): AppRecord => state.app(appId);
  const pullsOf = (fullName: string) => {
    const { id } = repository(fullName);
    return [...state.pulls.values()].filter((pull) => pull.repositoryId === id);
  };

  return {
    host: sim.urls.host,
    url: sim.urls.web,
    apiUrl: sim.urls.api,
    graphqlUrl: sim.urls.graphql,
    dataDir: params.dataDir,
    state,
    clock: sim.clock,
    faults,
    get deliveries() {
      return [...sim.webhooks.deliveries];
    },

    createUser: (user) => createUser(sim, user),
    createOrganization: (organization) =>
      createUser(sim, { ...organization, type: "Organization" }),
    async createApp(appParams) {
      const record = await createApp(sim, appParams);
      return {
        id: record.id,
        slug: record.slug,
        privateKey: record.privateKey,
        clientId: record.clientId,
        clientSecret: record.clientSecret,
        webhookSecret: record.webhookSecret,
      };
    },
    setWebhookUrl(appId, url) {
      app(appId).webhookUrl = url;
    },
    createRepository: (repositoryParams) => createRepository(sim, repositoryParams),
    installApp: (installParams) => installApp(sim, installParams).installation,
    suspendInstallation(installationId, sender) {
      const installation = state.installations.get(installationId);
      if (!installation) throw new Error(`no installation ${installationId}`);
      suspendInstallation(sim, {
        installation,
        sender: sender ? user(sender) : state.user(installation.accountId),
      });
    },
    renameRepository(fullName, newName) {
      const found = repository(fullName);
      state.renamed.set(fullName.toLowerCase(), found.id);
      found.name = newName;
    },
    deleteRepository(fullName) {
      state.repositories.delete(repository(fullName).id);
    },
    deleteIssue(fullName, number) {
      const found = issue(fullName, number);
      state.issues.delete(`${found.repositoryId}#${found.number}`);
      for (const [id, comment] of state.issueComments) {
        if (comment.repositoryId === found.repositoryId && comment.issueNumber === found.number) {
          state.issueComments.delete(id);
        }
      }
    },
    uninstallApp(installationId, sender) {
      const installation = state.installations.get(installationId);
      if (!installation) throw new Error(`no installation ${installationId}`);
      uninstallApp(sim, {
        installation,
        sender: sender ? user(sender) : state.user(installation.accountId),
      });
    },
    addCollaborator(fullName, login, role) {
      repository(fullName).collaborators.set(user(login).id, role);
    },
    protectBranch(fullName, branch) {
      repository(fullName).protectedBranches.add(branch);
    },
    addBranchRuleset(fullName, ruleset) {
      const rulesets = repository(fullName).branchRulesets;
      const id = rulesets.reduce((max, r) => Math.max(max, r.id), 0) + 1;
      rulesets.push({ id, pattern: ruleset.pattern, rules: [...ruleset.rules] });
      return id;
    },

    createPersonalToken: (login) => createPersonalToken(sim, user(login)).token,
    createUserToken(appId, login) {
      const { access, refresh } = issueUserToken(sim, { app: app(appId), user: user(login) });
      return { token: access.token, refreshToken: refresh?.token, expiresAt: access.expiresAt };
    },
    createInstallationToken(installationId, narrow = {}) {
      const installation = state.installations.get(installationId);
      if (!installation) throw new Error(`no installation ${installationId}`);
      return mintInstallationToken(sim, { installation, ...narrow }).token;
    },
    revokeUserAuthorization: (appId, login) =>
      revokeUserAuthorization(sim, { app: app(appId), user: user(login) }),

    createIssue: (issueParams) =>
      views.issue(
        openIssue(sim, {
          repository: repository(issueParams.repository),
          author: user(issueParams.author),
          title: issueParams.title,
          body: issueParams.body,
          labels: issueParams.labels,
        }),
      ),
    createIssueComment(commentParams) {
      const target = issue(commentParams.repository, commentParams.issueNumber);
      return views.issueComment(
        createIssueComment(sim, {
          repository: repository(commentParams.repository),
          issue: target,
          author: user(commentParams.author),
          body: commentParams.body,
        }),
      );
    },
    addLabels(labelParams) {
      return addLabels(sim, {
        repository: repository(labelParams.repository),
        issue: issue(labelParams.repository, labelParams.issueNumber),
        names: labelParams.labels,
        actor: user(labelParams.actor),
      }).map((label) => label.name);
    },
    removeLabel(labelParams) {
      removeLabel(sim, {
        repository: repository(labelParams.repository),
        issue: issue(labelParams.repository, labelParams.issueNumber),
        name: labelParams.label,
        actor: user(labelParams.actor),
      });
    },
    addReaction: (reactionParams) =>
      views.reaction(
        addReaction(sim, {
          subject: reactionParams.subject,
          content: reactionParams.content,
          user: user(reactionParams.user),
        }).reaction,
      ),
    async createPullRequest(pullParams) {
      const base = repository(pullParams.repository);
      const pull = await createPullRequest(sim, {
        repository: base,
        author: user(pullParams.author),
        title: pullParams.title,
        body: pullParams.body,
        head: pullParams.head,
        base: pullParams.base ?? base.defaultBranch,
        draft: pullParams.draft,
      });
      return views.pullRequest(pull);
    },
    async createReviewComment(commentParams) {
      const target = repository(commentParams.repository);
      const pull = state.pull(target.id, commentParams.pullNumber);
      if (!pull)
        throw new Error(`no pull request ${commentParams.repository}#${commentParams.pullNumber}`);
      await refreshPullRequest(sim, pull);
      const inReplyTo =
        commentParams.inReplyTo === undefined
          ? undefined
          : state.reviewComments.get(commentParams.inReplyTo);
      if (commentParams.inReplyTo !== undefined && !inReplyTo) {
        throw new Error(`no review comment ${commentParams.inReplyTo}`);
      }
      const comment = await createReviewComment(sim, {
        repository: target,
        pull,
        author: user(commentParams.author),
        body: commentParams.body,
        inReplyTo,
        path: commentParams.path,
        line: commentParams.line,
        side: commentParams.side,
        diffHunk: commentParams.diffHunk,
      });
      return views.reviewComment(comment);
    },

    issue: (fullName, number) => views.issue(issue(fullName, number)),
    issues(fullName) {
      const { id } = repository(fullName);
      return [...state.issues.values()]
        .filter((candidate) => candidate.repositoryId === id)
        .map((candidate) => views.issue(candidate));
    },
    issueComments(fullName, issueNumber) {
      const { id } = repository(fullName);
      return [...state.issueComments.values()]
        .filter(
          (comment) =>
            comment.repositoryId === id &&
            (issueNumber === undefined || comment.issueNumber === issueNumber),
        )
        .map((comment) => views.issueComment(comment));
    },
    reactions(subject) {
      return [...state.reactions.values()]
        .filter(
          (reaction) =>
            !subject ||
            (reaction.subject.type === subject.type && reaction.subject.id === subject.id),
        )
        .map((reaction) => views.reaction(reaction));
    },
    labels: (fullName) =>
      [...repository(fullName).labels.values()].map((label) => views.label(label)),
    async pullRequests(fullName) {
      const pulls = pullsOf(fullName);
      await Promise.all(pulls.map((pull) => refreshPullRequest(sim, pull)));
      return pulls.map((pull) => views.pullRequest(pull));
    },
    async pullRequest(fullName, number) {
      const pull = pullsOf(fullName).find((candidate) => candidate.number === number);
      if (!pull) throw new Error(`no pull request ${fullName}#${number}`);
      await refreshPullRequest(sim, pull);
      return views.pullRequest(pull);
    },
    reviewComments(fullName, pullNumber) {
      const { id } = repository(fullName);
      return [...state.reviewComments.values()]
        .filter(
          (comment) =>
            comment.repositoryId === id &&
            (pullNumber === undefined || comment.pullNumber === pullNumber),
        )
        .map((comment) => views.reviewComment(comment));
    },

    waitForDeliveries: () => sim.webhooks.settled(),
    waitForDelivery: (predicate, timeoutMs) => sim.webhooks.waitFor(predicate, timeoutMs),
    redeliver: (guidOrId) => sim.webhooks.redeliver(guidOrId).done,
    stop: params.stop,
  };
}
