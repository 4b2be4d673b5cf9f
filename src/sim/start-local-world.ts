import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "pino";
import { type FakeApp, type FakeGitHub, startFakeGitHub } from "./github/start-fake-github.js";
import { simProviderConfig } from "./model/sim-provider-config.js";
import { type ModelServer, startModelServer } from "./model/start-model-server.js";
import { sampleRepository } from "./sample-repository.js";
import { type SandboxServer, startSandboxServer } from "./sandbox/start-sandbox-server.js";
import { simScripts } from "./sim-scripts.js";

/** The three stand-ins, seeded with a sample repository, and the settings pointing at them. */
export interface LocalWorld {
  github: FakeGitHub;
  sandbox: SandboxServer;
  model: ModelServer;
  app: FakeApp;
  sample: {
    /** `owner/name`. */
    repository: string;
    issueNumber: number;
    installationId: number;
    installer: string;
    writer: { login: string; token: string };
    reader: { login: string; token: string };
  };
  /** Ship's own settings (GHE_HOST, APP_ID, E2B_*, SHIP_MODEL, ...) pointing at this world. */
  shipEnv: Record<string, string>;
  /** `shipEnv` plus SIM_REPO, SIM_ISSUE, SIM_USER_TOKEN, SIM_READER_TOKEN. */
  simEnv: Record<string, string>;
  /** Stops all three; every sandbox process is killed. */
  stop(): Promise<void>;
}

/**
 * Starts the local GitHub, E2B and model stand-ins and seeds GitHub with the sample
 * project: an app installed on `acme` by `alice` (admin), `bob` with write
 * access, `carol` with read access, and an open issue. Webhooks go to `webhookUrl`.
 */
export async function startLocalWorld(params: {
  dataDir: string;
  webhookUrl: string;
  log: Logger;
  /** Files of the sample repository; the built-in sample project by default. */
  files?: Record<string, string>;
  webhookSecret?: string;
}): Promise<LocalWorld> {
  const { log } = params;
  await mkdir(params.dataDir, { recursive: true });
  const started: Array<{ stop(): Promise<void> }> = [];
  try {
    const github = await startFakeGitHub({ log: log.child({ name: "sim-github" }) });
    started.push(github);
    const sandbox = await startSandboxServer({ log: log.child({ name: "sim-e2b" }) });
    started.push(sandbox);
    const model = await startModelServer({ log: log.child({ name: "sim-model" }) });
    started.push(model);
    for (const [name, steps] of Object.entries(simScripts)) model.setScript(name, steps);

    const { owner, name, defaultBranch, users, issue } = sampleRepository;
    const repository = `${owner}/${name}`;
    for (const login of Object.values(users)) github.createUser({ login });
    github.createOrganization({ login: owner });
    await github.createRepository({
      owner,
      name,
      defaultBranch,
      files: params.files ?? { ...sampleRepository.files },
    });
    github.addCollaborator(repository, users.installer, "admin");
    github.addCollaborator(repository, users.writer, "write");
    github.addCollaborator(repository, users.reader, "read");
    const app = await github.createApp({
      slug: "ship",
      name: "Ship",
      webhookUrl: params.webhookUrl,
      webhookSecret: params.webhookSecret ?? "sim-webhook-secret",
    });
    const installation = github.installApp({
      appId: app.id,
      account: owner,
      installer: users.installer,
    });
    const opened = github.createIssue({ repository, author: users.writer, ...issue });

    const privateKeyPath = path.join(params.dataDir, "sim-app.pem");
    await writeFile(privateKeyPath, app.privateKey, { mode: 0o600 });
    const shipEnv = {
      GHE_HOST: github.host,
      GHE_PROTOCOL: "http",
      APP_ID: String(app.id),
      PRIVATE_KEY_PATH: privateKeyPath,
      WEBHOOK_SECRET: app.webhookSecret,
      GITHUB_CLIENT_ID: app.clientId,
      GITHUB_CLIENT_SECRET: app.clientSecret,
      SHIP_ENCRYPTION_KEY: randomBytes(32).toString("hex"),
      // The stand-in has no secondary rate limits to respect.
      SHIP_GITHUB_THROTTLE: "off",
      ...sandbox.env,
      SHIP_MODEL: "sim/write-readme",
      SHIP_PROVIDERS: JSON.stringify({
        sim: simProviderConfig({ baseUrl: model.baseUrl, models: Object.keys(simScripts) }),
      }),
      // The stand-in model is free; without a price a run under a dollar budget is refused.
      SHIP_MODEL_PRICES: JSON.stringify({ "sim/*": { input: 0, output: 0 } }),
    };
    const writer = { login: users.writer, token: github.createPersonalToken(users.writer) };
    const reader = { login: users.reader, token: github.createPersonalToken(users.reader) };
    return {
      github,
      sandbox,
      model,
      app,
      sample: {
        repository,
        issueNumber: opened.number,
        installationId: installation.id,
        installer: users.installer,
        writer,
        reader,
      },
      shipEnv,
      simEnv: {
        ...shipEnv,
        SIM_REPO: repository,
        SIM_ISSUE: String(opened.number),
        SIM_USER_TOKEN: writer.token,
        SIM_READER_TOKEN: reader.token,
      },
      stop: () => stopAll(started),
    };
  } catch (error) {
    await stopAll(started);
    throw error;
  }
}

async function stopAll(started: Array<{ stop(): Promise<void> }>): Promise<void> {
  await Promise.allSettled(started.reverse().map((part) => part.stop()));
}
