import { Octokit } from "@octokit/rest";
import { Sandbox } from "e2b";
import { buildOpencodeConfig } from "../agent/build-opencode-config.js";
import { parseModelId } from "../agent/parse-model-id.js";
import { startOpencodeServer } from "../agent/start-opencode-server.js";
import type { Config } from "../config/read-config.js";
import { sandboxConnection } from "../sandbox/sandbox-settings.js";

/** The least a run can take: each step done once, directly, by a bare script. */
export interface FloorRun {
  total: number;
  /** Seconds per step: sandbox_create, clone, opencode_start, agent, commit_push, pull_request. */
  steps: Record<string, number>;
}

/**
 * What a run needs without Ship around it, done by a bare script `count` times: create
 * a sandbox, clone with a token in the URL, start OpenCode in it, one prompt (waiting for
 * the answer), commit and push from inside the sandbox, open the draft PR; timed up to
 * the PR. No status comment, no database, no queue, no pushing from outside the sandbox.
 */
export async function measureFloor(params: {
  config: Pick<Config, "githubUrl" | "sandbox" | "model">;
  repository: string;
  /** The branch the pull request goes into. */
  base: string;
  /** A token that may read and push the repository and open pull requests. */
  token: string;
  count: number;
  task: string;
}): Promise<FloorRun[]> {
  const { config, token } = params;
  const [owner, repo] = params.repository.split("/") as [string, string];
  const octokit = new Octokit({ baseUrl: `${config.githubUrl}/api/v3`, auth: token });
  const model = config.model.default;
  const runs: FloorRun[] = [];
  for (let i = 0; i < params.count; i++) {
    const steps: Record<string, number> = {};
    const step = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
      const since = performance.now();
      const value = await work();
      steps[name] = (performance.now() - since) / 1000;
      return value;
    };
    const started = performance.now();
    const sandbox = await step("sandbox_create", () =>
      Sandbox.create(config.sandbox.template, { ...sandboxConnection(config.sandbox) }),
    );
    try {
      const remote = new URL(`${config.githubUrl}/${params.repository}.git`);
      remote.username = "x-access-token";
      remote.password = token;
      await step("clone", () => sandbox.commands.run(`git clone --depth 1 ${remote.href} repo`));
      const branch = `floor-${Date.now()}-${i}`;
      const opencode = await step("opencode_start", () =>
        startOpencodeServer({
          sandbox,
          cwd: "repo",
          config: buildOpencodeConfig({ model, providers: config.model.providers }),
          sandboxSettings: config.sandbox,
        }),
      );
      await step("agent", async () => {
        const { data: session } = await opencode.client.session.create(
          { title: "floor" },
          { throwOnError: true },
        );
        await opencode.client.session.prompt(
          {
            sessionID: session.id,
            model: parseModelId(model),
            parts: [{ type: "text", text: params.task }],
          },
          { throwOnError: true },
        );
      });
      await step("commit_push", () =>
        sandbox.commands.run(
          [
            `git checkout -q -b ${branch}`,
            "git add -A",
            `git -c user.name=floor -c user.email=floor@example.com commit -qm ${JSON.stringify(params.task)}`,
            `git push -q origin ${branch}`,
          ].join(" && "),
          { cwd: "repo" },
        ),
      );
      await step("pull_request", () =>
        octokit.rest.pulls.create({
          owner,
          repo,
          head: branch,
          base: params.base,
          title: params.task,
          draft: true,
        }),
      );
      runs.push({ total: (performance.now() - started) / 1000, steps });
    } finally {
      // After the PR, as Ship kills its sandbox after the run (OpenCode goes with it).
      await sandbox.kill();
    }
  }
  return runs;
}
