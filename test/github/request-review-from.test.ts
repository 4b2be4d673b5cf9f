import type { GitHubClient } from "../../src/github/github-client.js";
import { requestReviewFrom } from "../../src/github/request-review-from.js";
import { type SeededGitHub, startSeededGitHub } from "../sim/github/start-seeded-github.js";

/** Against the fake GitHub: what GitHub accepts and refuses decides the outcome. */
describe("requestReviewFrom", () => {
  let world: SeededGitHub;
  let octokit: GitHubClient;
  const owner = "alice";
  const repo = "demo";

  beforeAll(async () => {
    world = await startSeededGitHub();
    world.gh.createUser({ login: "bob" });
    world.gh.addCollaborator("alice/demo", "bob", "write");
    octokit = (await world.probot.auth(world.installation.id)) as GitHubClient;
  });
  afterAll(async () => {
    await world?.stop();
  });

  /** A pull request by `author` from a new branch with one commit. */
  async function pullBy(author: string, branch: string) {
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
      author,
      title: branch,
      head: branch,
    });
  }

  it("requests the requester's review on someone else's pull request, once", async () => {
    const pull = await pullBy("alice", "by-alice");
    const ask = () =>
      requestReviewFrom({ octokit, owner, repo, pullNumber: pull.number, requester: "bob" });
    expect(await ask()).toBe("review_requested");
    expect(await ask()).toBe("already");
    expect(await world.gh.pullRequest("alice/demo", pull.number)).toMatchObject({
      requestedReviewers: ["bob"],
      assignees: [],
    });
  });

  it("assigns the requester's own pull request to them, since GitHub refuses that review", async () => {
    const pull = await pullBy("bob", "by-bob");
    await expect(
      octokit.rest.pulls.requestReviewers({
        owner,
        repo,
        pull_number: pull.number,
        reviewers: ["bob"],
      }),
    ).rejects.toMatchObject({ status: 422 });
    const ask = () =>
      requestReviewFrom({ octokit, owner, repo, pullNumber: pull.number, requester: "Bob" });
    expect(await ask()).toBe("assigned");
    expect(await ask()).toBe("already");
    expect(await world.gh.pullRequest("alice/demo", pull.number)).toMatchObject({
      requestedReviewers: [],
      assignees: ["bob"],
    });
  });

  it("fails (for the caller to log) when GitHub refuses: the requester is no collaborator", async () => {
    world.gh.createUser({ login: "dave" });
    const pull = await pullBy("alice", "for-dave");
    await expect(
      requestReviewFrom({ octokit, owner, repo, pullNumber: pull.number, requester: "dave" }),
    ).rejects.toMatchObject({ status: 422 });
  });
});
