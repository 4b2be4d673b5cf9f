import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Octokit } from "@octokit/rest";
import { Sandbox } from "e2b";
import { readConfig } from "../../src/config/read-config.js";
import { type LocalWorld, startLocalWorld } from "../../src/sim/start-local-world.js";
import { testLogger } from "../helpers/test-logger.js";

describe("the local world", () => {
  let world: LocalWorld;
  beforeAll(async () => {
    world = await startLocalWorld({
      dataDir: mkdtempSync(path.join(tmpdir(), "ship-world-")),
      webhookUrl: "http://127.0.0.1:9/api/github/webhooks",
      log: testLogger(),
    });
  });
  afterAll(async () => {
    await world.stop();
  });

  it("gives settings Ship accepts, pointing at the stand-ins", () => {
    const config = readConfig(world.shipEnv, tmpdir());
    expect(config.app?.appId).toBe(world.app.id);
    expect(config.githubApiUrl).toBe(world.github.apiUrl);
    expect(config.sandbox.apiUrl).toBe(world.sandbox.apiUrl);
    expect(config.model.default).toBe("sim/write-readme");
    expect(config.model.providers.sim?.options?.baseURL).toBe(world.model.baseUrl);
  });

  it("seeds a repository without a README, an open issue and collaborators with write and read access", async () => {
    const { sample } = world;
    const [owner, repo] = sample.repository.split("/") as [string, string];
    const asWriter = new Octokit({ baseUrl: world.github.apiUrl, auth: sample.writer.token });
    const { data: repository } = await asWriter.repos.get({ owner, repo });
    expect(repository).toMatchObject({
      full_name: sample.repository,
      default_branch: "main",
      private: true,
    });
    await expect(
      asWriter.repos.getContent({ owner, repo, path: "README.md" }),
    ).rejects.toMatchObject({ status: 404 });
    const { data: issue } = await asWriter.issues.get({
      owner,
      repo,
      issue_number: sample.issueNumber,
    });
    expect(issue).toMatchObject({ state: "open", title: "Add a README" });

    const permission = async (username: string) =>
      (await asWriter.repos.getCollaboratorPermissionLevel({ owner, repo, username })).data
        .permission;
    expect(await permission(sample.writer.login)).toBe("write");
    expect(await permission(sample.reader.login)).toBe("read");
    expect(await permission(sample.installer)).toBe("admin");
  });

  it("runs sandboxes for the real e2b SDK and serves the scripted models", async () => {
    const sandbox = await Sandbox.create("ship-opencode", {
      apiKey: world.sandbox.apiKey,
      apiUrl: world.sandbox.apiUrl,
      sandboxUrl: world.sandbox.sandboxUrl,
    });
    try {
      const { stdout } = await sandbox.commands.run("git --version && opencode --version");
      expect(stdout).toMatch(/git version .*\n1\.18\.33/);
    } finally {
      await sandbox.kill();
    }
    const models = (await (await fetch(`${world.model.baseUrl}/models`)).json()) as {
      data: Array<{ id: string }>;
    };
    expect(models.data.map((m) => m.id)).toEqual(
      expect.arrayContaining(["write-readme", "bad-request", "server-error"]),
    );
  });
});
