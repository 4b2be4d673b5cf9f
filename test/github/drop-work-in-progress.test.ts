import { dropWorkInProgress } from "../../src/github/drop-work-in-progress.js";
import type { GitHubClient } from "../../src/github/github-client.js";
import { type SeededGitHub, startSeededGitHub } from "../sim/github/start-seeded-github.js";

describe("dropWorkInProgress", () => {
  let world: SeededGitHub;
  let octokit: GitHubClient;
  const owner = "alice";
  const repo = "demo";

  beforeAll(async () => {
    world = await startSeededGitHub();
    octokit = (await world.probot.auth(world.installation.id)) as GitHubClient;
  });
  afterAll(async () => {
    await world?.stop();
  });

  async function pullTitled(title: string, branch: string) {
    const { data: main } = await octokit.rest.git.getRef({ owner, repo, ref: "heads/main" });
    const { data: base } = await octokit.rest.git.getCommit({
      owner,
      repo,
      commit_sha: main.object.sha,
    });
    const { data: tree } = await octokit.rest.git.createTree({
      owner,
      repo,
      base_tree: base.tree.sha,
      tree: [{ path: `${branch}.md`, mode: "100644", type: "blob", content: "hi\n" }],
    });
    const { data: commit } = await octokit.rest.git.createCommit({
      owner,
      repo,
      message: branch,
      tree: tree.sha,
      parents: [main.object.sha],
    });
    await octokit.rest.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha: commit.sha });
    return world.gh.createPullRequest({
      repository: "alice/demo",
      author: "alice",
      title,
      head: branch,
    });
  }

  const drop = (pullNumber: number) =>
    dropWorkInProgress({
      octokit,
      owner,
      repo,
      pullNumber,
      opened: "[WIP] Add a README",
      final: "Add a README",
    });

  it("gives the pull request its final title, once", async () => {
    const pull = await pullTitled("[WIP] Add a README", "wip");
    expect(await drop(pull.number)).toBe(true);
    expect((await world.gh.pullRequest("alice/demo", pull.number)).title).toBe("Add a README");
    expect(await drop(pull.number)).toBe(false);
  });

  it("leaves a title someone changed meanwhile alone", async () => {
    const pull = await pullTitled("README, reviewed by hand", "renamed");
    expect(await drop(pull.number)).toBe(false);
    expect((await world.gh.pullRequest("alice/demo", pull.number)).title).toBe(
      "README, reviewed by hand",
    );
  });
});
