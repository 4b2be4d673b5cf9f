import { jest } from "@jest/globals";
import { Octokit } from "@octokit/rest";
import { askShip } from "../helpers/ask-ship.js";
import { awaitRun } from "../helpers/await-run.js";
import { startTestShip, type TestShip } from "../helpers/start-test-ship.js";
import { statusCommentOf } from "../helpers/status-comment-of.js";
import { statusCommentVersions } from "../helpers/status-comment-versions.js";
import { waitFor } from "../helpers/wait-for.js";

// End-to-end timing on a 2-core machine running two test files at once: one retry,
// with the first failure printed, so a scheduling hiccup does not fail the build.
jest.retryTimes(1, { logErrorsBeforeRetry: true });

/** `/ship <instruction>` on a pull request: on a review line, in its conversation, once it is closed. */
describe("follow-ups on pull requests", () => {
  let t: TestShip;
  let repository: string;
  let owner: string;
  let repo: string;
  let octokit: Octokit;
  let pr: { number: number; branch: string };

  beforeAll(async () => {
    t = await startTestShip();
    repository = t.world.sample.repository;
    [owner, repo] = repository.split("/") as [string, string];
    octokit = new Octokit({ baseUrl: t.world.github.apiUrl, auth: t.world.sample.writer.token });
    const { comment } = askShip(t, "/ship add a README");
    const first = await awaitRun(t, comment.id, 110_000);
    pr = { number: first.prNumber as number, branch: first.branch as string };
    // Ship's start and a first run: more than a minute on a loaded 2-core machine.
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
  });

  const head = async () =>
    (await octokit.rest.git.getRef({ owner, repo, ref: `heads/${pr.branch}` })).data.object.sha;
  const pullCount = async () => (await t.world.github.pullRequests(repository)).length;
  /** A follow-up's steps are its own: check out the PR's branch, push to the PR. */
  const expectFollowUpChecklist = (runId: number) => {
    const versions = statusCommentVersions(t, runId);
    const working = versions.filter((body) => body.includes("🚧"));
    expect(working.length).toBeGreaterThan(0);
    expect(working.some((body) => body.includes(`Check out \`${pr.branch}\``))).toBe(true);
    for (const body of working) expect(body).toContain(`Push to #${pr.number}`);
    for (const body of versions) {
      expect(body).not.toContain("Create a branch");
      expect(body).not.toContain("Open a draft pull request");
    }
  };

  it("on a review line: one new commit on the PR's branch, a reply in that thread, no new PR", async () => {
    const before = await head();
    const pulls = await pullCount();
    const review = await t.world.github.createReviewComment({
      repository,
      pullNumber: pr.number,
      author: t.world.sample.writer.login,
      body: "/ship --model sim/add-changelog also add a changelog",
      path: "README.md",
      line: 1,
    });
    const run = await awaitRun(t, review.id);
    expect(run).toMatchObject({
      state: "succeeded",
      trigger: "review_command",
      branch: pr.branch,
      prNumber: null,
    });
    const after = await head();
    const commit = (await octokit.rest.git.getCommit({ owner, repo, commit_sha: after })).data;
    expect(commit.parents.map((p) => p.sha)).toEqual([before]);
    expect(commit.message).toContain("Add a changelog");
    expect(await pullCount()).toBe(pulls);

    const reply = await waitFor("the reply in the review thread", () =>
      t.world.github.reviewComments(repository, pr.number).find((c) => c.inReplyToId === review.id),
    );
    expect(reply.body).toContain(`Pushed [\`${after.slice(0, 7)}\`]`);
    expect(reply.body).toContain(`/commit/${after}`);
    const prompt = JSON.stringify(
      t.world.model.requests.filter((r) => r.script === "add-changelog").at(-1)?.body,
    );
    expect(prompt).toContain("README.md");
    expect(prompt).toContain("@@");
    // The status comment (in the PR's conversation) links the line's thread.
    expect(statusCommentOf(t, run)).toContain(
      `Asked on a review line: \`README.md\` line 1 ([thread](`,
    );
    expect(statusCommentOf(t, run)).toContain(`/pull/${pr.number}#discussion_r${review.id})).`);
    expectFollowUpChecklist(run.id);
  });

  it("in the PR's conversation: a new commit on its branch, no new PR", async () => {
    const before = await head();
    const pulls = await pullCount();
    const comment = t.world.github.createIssueComment({
      repository,
      issueNumber: pr.number,
      author: t.world.sample.writer.login,
      body: "/ship --model sim/add-license add a license",
    });
    const run = await awaitRun(t, comment.id);
    expect(run).toMatchObject({ state: "succeeded", trigger: "pr_command", branch: pr.branch });
    const commit = (await octokit.rest.git.getCommit({ owner, repo, commit_sha: await head() }))
      .data;
    expect(commit.parents.map((p) => p.sha)).toEqual([before]);
    expect(await pullCount()).toBe(pulls);
    expectFollowUpChecklist(run.id);
  });

  it("on a closed PR: a new branch and draft PR that refer to the old one", async () => {
    await octokit.rest.pulls.update({ owner, repo, pull_number: pr.number, state: "closed" });
    const comment = t.world.github.createIssueComment({
      repository,
      issueNumber: pr.number,
      author: t.world.sample.writer.login,
      body: "/ship --model sim/add-changelog add a changelog",
    });
    const run = await awaitRun(t, comment.id);
    expect(run.state).toBe("succeeded");
    expect(run.branch).not.toBe(pr.branch);
    const next = await t.world.github.pullRequest(repository, run.prNumber as number);
    expect(next).toMatchObject({ draft: true, base: { ref: "main" } });
    expect(next.body).toContain(`Follows up #${pr.number}`);
  });

  it("on a PR from a fork: a branch in this repository and a draft PR that says why", async () => {
    const writer = t.world.sample.writer.login;
    await t.world.github.createRepository({
      owner: writer,
      name: "widgets-fork",
      forkOf: repository,
    });
    const fork = { owner: writer, repo: "widgets-fork" };
    const main = (await octokit.rest.git.getRef({ ...fork, ref: "heads/main" })).data.object.sha;
    const parent = (await octokit.rest.git.getCommit({ ...fork, commit_sha: main })).data;
    const tree = await octokit.rest.git.createTree({
      ...fork,
      base_tree: parent.tree.sha,
      tree: [{ path: "NOTES.md", mode: "100644", type: "blob", content: "notes\n" }],
    });
    const commit = await octokit.rest.git.createCommit({
      ...fork,
      message: "Notes",
      tree: tree.data.sha,
      parents: [main],
    });
    await octokit.rest.git.createRef({ ...fork, ref: "refs/heads/notes", sha: commit.data.sha });
    const forkPr = await t.world.github.createPullRequest({
      repository,
      author: writer,
      title: "Notes from a fork",
      head: `${writer}:notes`,
    });

    const asked = t.world.github.createIssueComment({
      repository,
      issueNumber: forkPr.number,
      author: writer,
      body: "/ship --model sim/add-license add a license",
    });
    const run = await awaitRun(t, asked.id);
    expect(run.state).toBe("succeeded");
    expect(run.branch).toMatch(/^ship\//);
    const next = await t.world.github.pullRequest(repository, run.prNumber as number);
    expect(next).toMatchObject({ draft: true, head: { repository } });
    expect(next.body).toContain(
      `Follows up #${forkPr.number}, whose branch is in a fork Ship cannot push to`,
    );
  });
});
