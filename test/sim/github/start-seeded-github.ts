import { Probot, ProbotOctokit } from "probot";
import type { InstallationRecord } from "../../../src/sim/github/records.js";
import {
  type FakeApp,
  type FakeGitHub,
  type FakeGitHubOptions,
  startFakeGitHub,
} from "../../../src/sim/github/start-fake-github.js";
import { testLogger } from "../../helpers/test-logger.js";
import { testPrivateKey } from "../../helpers/test-private-key.js";
import { startWebhookReceiver, type WebhookReceiver } from "./webhook-receiver.js";

/** A fake GitHub with a user, an app that receives webhooks, a repository and an installation. */
export interface SeededGitHub {
  gh: FakeGitHub;
  app: FakeApp;
  installation: InstallationRecord;
  receiver: WebhookReceiver;
  /** A Probot configured as the app against the fake, with throttling off for speed. */
  probot: Probot;
  stop(): Promise<void>;
}

/**
 * The usual test world: `alice` owns the private `alice/demo` (README on `main`), the
 * `ship` app is installed on all her repositories and delivers to a local receiver.
 */
export async function startSeededGitHub(
  options: Partial<FakeGitHubOptions> = {},
): Promise<SeededGitHub> {
  const log = testLogger();
  const gh = await startFakeGitHub({ log, ...options });
  const webhookSecret = "test-webhook-secret";
  const receiver = await startWebhookReceiver(webhookSecret);
  gh.createUser({ login: "alice", name: "Alice" });
  const app = await gh.createApp({
    slug: "ship",
    name: "Ship",
    webhookUrl: receiver.url,
    webhookSecret,
    privateKey: testPrivateKey(),
    callbackUrls: ["http://127.0.0.1:9/auth/callback"],
  });
  await gh.createRepository({
    owner: "alice",
    name: "demo",
    files: { "README.md": "# demo\n\nA repository for tests.\n", "src/index.ts": "export {};\n" },
  });
  const installation = gh.installApp({ appId: app.id, account: "alice" });
  await gh.waitForDeliveries();
  const Octokit = ProbotOctokit.defaults((instanceOptions: Record<string, unknown>) => ({
    ...instanceOptions,
    throttle: { ...(instanceOptions.throttle as object), enabled: false },
  }));
  const probot = new Probot({
    appId: app.id,
    privateKey: app.privateKey,
    secret: webhookSecret,
    baseUrl: gh.apiUrl,
    Octokit,
    log,
  });
  return {
    gh,
    app,
    installation,
    receiver,
    probot,
    async stop() {
      await gh.stop();
      await receiver.stop();
    },
  };
}
