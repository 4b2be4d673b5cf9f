import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Logger } from "pino";
import { createFakeGitHubHandle, type FakeGitHub } from "./create-fake-github-handle.js";
import { GitHubState } from "./github-state.js";
import { ApiRouter } from "./http/api-router.js";
import { createRequestHandler } from "./http/create-request-handler.js";
import { FaultInjector } from "./http/fault-injector.js";
import { RateLimiter } from "./http/rate-limiter.js";
import { ResponseTemplates } from "./render/response-templates.js";
import { handleApps } from "./routes/handle-apps.js";
import { handleCommits } from "./routes/handle-commits.js";
import { handleContents } from "./routes/handle-contents.js";
import { handleGit } from "./routes/handle-git.js";
import { handleGitData } from "./routes/handle-git-data.js";
import { handleGraphql } from "./routes/handle-graphql.js";
import { handleInstallPages } from "./routes/handle-install-pages.js";
import { handleIssueComments } from "./routes/handle-issue-comments.js";
import { handleIssues } from "./routes/handle-issues.js";
import { handleLabels } from "./routes/handle-labels.js";
import { handleOauth } from "./routes/handle-oauth.js";
import { handlePulls } from "./routes/handle-pulls.js";
import { handleReactions } from "./routes/handle-reactions.js";
import { handleRepositories } from "./routes/handle-repositories.js";
import { handleReviewComments } from "./routes/handle-review-comments.js";
import { handleUsers } from "./routes/handle-users.js";
import type { Sim } from "./sim.js";
import { SimClock } from "./sim-clock.js";
import { WebhookSender } from "./webhooks/webhook-sender.js";

export type { FakeApp, FakeGitHub } from "./create-fake-github-handle.js";

/** How to start a fake GitHub; everything but `log` has a default. */
export interface FakeGitHubOptions {
  log: Logger;
  /** Where bare repositories live; a temporary directory (removed on stop) by default. */
  dataDir?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Installation tokens: GitHub's one hour by default. */
  installationTokenTtlSeconds?: number;
  /** App user tokens: GitHub's eight hours by default. */
  userTokenTtlSeconds?: number;
  /** Refresh tokens: GitHub's six months by default. */
  refreshTokenTtlSeconds?: number;
  /** Extra wait before each webhook POST (GitHub's delivery lag); 0 by default. */
  webhookDelayMs?: number;
  /** GitHub gives up on a webhook receiver after 10 s. */
  webhookTimeoutMs?: number;
  /** Primary rate limit per identity and hour; GitHub's 5000 by default. */
  rateLimit?: number;
}

/**
 * Starts a GitHub stand-in on 127.0.0.1 that the real clients talk to: REST under
 * `/api/v3`, GraphQL at `/api/graphql` (so Probot works with
 * `GHE_HOST=127.0.0.1:PORT GHE_PROTOCOL=http`), git over smart HTTP, the OAuth web flow
 * and signed webhooks. Returns a handle for seeding, inspecting and stopping it.
 */
export async function startFakeGitHub(options: FakeGitHubOptions): Promise<FakeGitHub> {
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = path.resolve(
    options.dataDir ?? (await mkdtemp(path.join(tmpdir(), "fake-github-"))),
  );
  const root = path.join(dataDir, "repositories");
  const home = path.join(dataDir, "git-home");
  await Promise.all([mkdir(root, { recursive: true }), mkdir(home, { recursive: true })]);

  const server = createServer({ keepAliveTimeout: 5_000 });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = `127.0.0.1:${port}`;
  const web = `http://${host}`;
  const urls = { host, web, api: `${web}/api/v3`, graphql: `${web}/api/graphql` };

  const state = new GitHubState();
  const clock = new SimClock();
  const sim: Sim = {
    state,
    urls,
    templates: await ResponseTemplates.load(urls),
    clock,
    webhooks: new WebhookSender({
      state,
      clock,
      log: options.log,
      delayMs: options.webhookDelayMs ?? 0,
      timeoutMs: options.webhookTimeoutMs ?? 10_000,
    }),
    git: { root, home },
    settings: {
      installationTokenTtlSeconds: options.installationTokenTtlSeconds ?? 3600,
      userTokenTtlSeconds: options.userTokenTtlSeconds ?? 8 * 3600,
      refreshTokenTtlSeconds: options.refreshTokenTtlSeconds ?? 15_897_600,
    },
    log: options.log,
  };

  const router = new ApiRouter(sim.templates);
  const rateLimiter = new RateLimiter(clock, options.rateLimit ?? 5000);
  handleApps(router, sim);
  handleUsers(router, sim);
  handleRepositories(router, sim, rateLimiter);
  handleGitData(router, sim);
  handleContents(router, sim);
  handleCommits(router, sim);
  handleIssues(router, sim);
  handleIssueComments(router, sim);
  handleReactions(router, sim);
  handleLabels(router, sim);
  handlePulls(router, sim);
  handleReviewComments(router, sim);
  handleGraphql(router, sim);
  handleOauth(router, sim);
  handleInstallPages(router, sim);
  handleGit(router, sim);
  const faults = new FaultInjector();
  server.on("request", createRequestHandler({ sim, router, faults, rateLimiter }));
  options.log.debug({ url: web, dataDir }, "fake GitHub listening");

  return createFakeGitHubHandle({
    sim,
    faults,
    dataDir,
    async stop() {
      await sim.webhooks.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
    },
  });
}
