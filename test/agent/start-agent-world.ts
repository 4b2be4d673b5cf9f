import { Sandbox } from "e2b";
import { buildOpencodeConfig } from "../../src/agent/build-opencode-config.js";
import { type OpencodeServer, startOpencodeServer } from "../../src/agent/start-opencode-server.js";
import type { ScriptStep } from "../../src/sim/model/script-step.js";
import { simProviderConfig } from "../../src/sim/model/sim-provider-config.js";
import { type ModelServer, startModelServer } from "../../src/sim/model/start-model-server.js";
import {
  type SandboxServer,
  startSandboxServer,
} from "../../src/sim/sandbox/start-sandbox-server.js";
import { testLogger } from "../helpers/test-logger.js";

/** The local world one agent test file runs in, and OpenCode started in it by Ship's driver. */
export interface AgentWorld {
  model: ModelServer;
  e2b: SandboxServer;
  sandbox: Sandbox;
  /** The repository's directory, relative to the sandbox user's home (as envd resolves it). */
  repo: string;
  opencode: OpencodeServer;
  stop(): Promise<void>;
}

/** Model costs in dollars per million tokens, so cost can be checked too. */
export const simCost = { input: 3, output: 15, cache_read: 0.3 };

/**
 * Starts the model sim with `scripts`, the E2B stand-in (bwrap when this machine has
 * it), one sandbox created through the real `e2b` SDK pointed at the stand-in by
 * settings, a small git repository in it, and OpenCode inside it through
 * `startOpencodeServer`, configured by `buildOpencodeConfig` for `sim/<script>` models.
 */
export async function startAgentWorld(params: {
  scripts: Record<string, ScriptStep[]>;
  fetch?: typeof fetch;
}): Promise<AgentWorld> {
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch(() => undefined);
  };
  try {
    const model = await startModelServer({ log: testLogger() });
    stops.push(() => model.stop());
    for (const [name, steps] of Object.entries(params.scripts)) model.setScript(name, steps);
    const e2b = await startSandboxServer({ log: testLogger() });
    stops.push(() => e2b.stop());
    const settings = { apiKey: e2b.apiKey, apiUrl: e2b.apiUrl, sandboxUrl: e2b.sandboxUrl };
    const sandbox = await Sandbox.create("ship-opencode", { ...settings, timeoutMs: 300_000 });
    stops.push(() => sandbox.kill());
    const repo = "repo";
    await sandbox.commands.run(
      [
        `git init -q ${repo} && cd ${repo}`,
        "printf 'hello\\n' > hello.txt",
        "git add -A && git -c user.name=ship -c user.email=ship@example.com commit -qm init",
      ].join(" && "),
    );

    const config = buildOpencodeConfig({
      model: `sim/${Object.keys(params.scripts)[0]}`,
      providers: {
        sim: simProviderConfig({
          baseUrl: model.baseUrl,
          models: Object.keys(params.scripts),
          modelOptions: { cost: simCost },
        }),
        // Must never reach the sandbox: the run only needs "sim".
        other: { options: { apiKey: "other-provider-secret" } },
      },
    });
    const opencode = await startOpencodeServer({
      sandbox,
      cwd: repo,
      config,
      sandboxSettings: { sandboxUrl: e2b.sandboxUrl },
      log: testLogger(),
      ...(params.fetch ? { fetch: params.fetch } : {}),
    });
    stops.push(() => opencode.stop());
    return { model, e2b, sandbox, repo, opencode, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
