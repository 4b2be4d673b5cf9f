import { jest } from "@jest/globals";
import { Octokit } from "@octokit/rest";
import { authorizeShipAs } from "../../src/sim/authorize-ship-as.js";
import { askShip } from "../helpers/ask-ship.js";
import { awaitRun } from "../helpers/await-run.js";
import { startTestShip, type TestShip } from "../helpers/start-test-ship.js";
import { waitFor } from "../helpers/wait-for.js";

// End-to-end timing on a 2-core machine running two test files at once: one retry,
// with the first failure printed, so a scheduling hiccup does not fail the build.
jest.retryTimes(1, { logErrorsBeforeRetry: true });

/**
 * A run pushes as a person, perhaps one allowed to bypass branch protection: Ship itself
 * never lets a request push to the default branch or a protected branch. Through the
 * real webhook path; each refusal comes before any run.
 */
describe("pushing to the default or a protected branch", () => {
  let t: TestShip;
  let repository: string;
  let owner: string;
  let repo: string;
  let octokit: Octokit;

  /** One new commit on top of `parent`, as `branch` (created, or moved when `move`). */
  async function branchWithCommit(branch: string, parent: string, move = false) {
    const tree = await octokit.rest.git.createTree({
      owner,
      repo,
      tree: [{ path: `${branch}.md`, mode: "100644", type: "blob", content: `${branch}\n` }],
    });
    const commit = await octokit.rest.git.createCommit({
      owner,
      repo,
      message: branch,
      tree: tree.data.sha,
      parents: [parent],
    });
    if (move) {
      await octokit.rest.git.updateRef({
        owner,
        repo,
        ref: `heads/${branch}`,
        sha: commit.data.sha,
      });
      return;
    }
    await octokit.rest.git.createRef({
      owner,
      repo,
      ref: `refs/heads/${branch}`,
      sha: commit.data.sha,
    });
  }

  beforeAll(async () => {
    t = await startTestShip();
    repository = t.world.sample.repository;
    [owner, repo] = repository.split("/") as [string, string];
    octokit = new Octokit({ baseUrl: t.world.github.apiUrl, auth: t.world.sample.writer.token });
    const main = (await octokit.rest.git.getRef({ owner, repo, ref: "heads/main" })).data.object
      .sha;
    // `old` stays where `main` was; `main` moves on, so a PR of main into old has commits.
    await octokit.rest.git.createRef({ owner, repo, ref: "refs/heads/old", sha: main });
    await branchWithCommit("main", main, true);
    await branchWithCommit("release", main);
    t.world.github.protectBranch(repository, "release");
    t.world.github.addBranchRuleset(repository, {
      pattern: "release/*",
      rules: ["creation", "update"],
    });
  });
  afterAll(async () => {
    await t?.stop();
  });

  async function runsFor(commentId: number) {
    const { rows } = await t.db.pool.query(
      "SELECT id FROM runs WHERE (request->>'commentId')::bigint = $1",
      [commentId],
    );
    return rows;
  }

  /** Ship's reply to `commentId` on the thread, and what it recorded. */
  async function refusalOf(threadNumber: number, commentId: number) {
    const reply = await waitFor("Ship's reply", () =>
      t.world.github
        .issueComments(repository, threadNumber)
        .find((c) => c.id !== commentId && c.body.includes("<!-- ship -->")),
    );
    const delivery = await waitFor("the delivery to be recorded", async () => {
      const sent = t.world.github.deliveries.find(
        (d) =>
          d.event === "issue_comment" &&
          (d.payload as { comment?: { id: number } }).comment?.id === commentId,
      );
      if (!sent) return undefined;
      const { rows } = await t.db.pool.query<{ outcome: string; reason: string }>(
        "SELECT outcome, reason FROM deliveries WHERE id = $1",
        [sent.guid],
      );
      return rows[0];
    });
    return { reply, delivery };
  }

  const ask = async (pull: { number: number }, body: string) =>
    t.world.github.createIssueComment({
      repository,
      issueNumber: pull.number,
      author: t.world.sample.writer.login,
      body,
    });

  it("refuses a follow-up on a pull request whose head is the default branch", async () => {
    const pull = await t.world.github.createPullRequest({
      repository,
      author: t.world.sample.writer.login,
      title: "main into old",
      head: "main",
      base: "old",
    });
    const asked = await ask(pull, "/ship add a README");
    const { reply, delivery } = await refusalOf(pull.number, asked.id);
    expect(reply.body).toContain("`main` is the repository's default branch");
    expect(reply.body).toContain("Ship did not start");
    expect(delivery).toEqual({ outcome: "ignored", reason: "protected branch" });
    expect(await runsFor(asked.id)).toEqual([]);
  });

  it("refuses a follow-up on a pull request whose head is a protected branch", async () => {
    const pull = await t.world.github.createPullRequest({
      repository,
      author: t.world.sample.writer.login,
      title: "release notes",
      head: "release",
      base: "main",
    });
    const asked = await ask(pull, "/ship add a README");
    const { reply } = await refusalOf(pull.number, asked.id);
    expect(reply.body).toContain("`release` is protected");
    expect(await runsFor(asked.id)).toEqual([]);
  });

  it.each([
    ["main", "`main` is the repository's default branch"],
    ["release", "`release` is protected"],
  ])("refuses `--branch %s`", async (branch, said) => {
    const { issue, comment } = askShip(t, `/ship --branch ${branch} add a README`);
    const { reply } = await refusalOf(issue.number, comment.id);
    expect(reply.body).toContain(`the branch named with \`--branch\` ${said}`);
    expect(await runsFor(comment.id)).toEqual([]);
  });

  it("the fake GitHub reports protection as GitHub does", async () => {
    const release = await octokit.rest.repos.getBranch({ owner, repo, branch: "release" });
    expect(release.data).toMatchObject({ protected: true, protection: { enabled: true } });
    const old = await octokit.rest.repos.getBranch({ owner, repo, branch: "old" });
    expect(old.data).toMatchObject({ protected: false, protection: { enabled: false } });
  });

  it("refuses `--branch` naming a branch that does not exist yet under a ruleset", async () => {
    const { issue, comment } = askShip(t, "/ship --branch release/9 add a README");
    const { reply, delivery } = await refusalOf(issue.number, comment.id);
    expect(reply.body).toContain(
      "the branch named with `--branch` `release/9` is protected by a ruleset (`creation` rule)",
    );
    expect(delivery).toEqual({ outcome: "ignored", reason: "protected branch" });
    expect(await runsFor(comment.id)).toEqual([]);
  });

  it("the fake GitHub reports the rules that apply to a branch name, existing or not", async () => {
    const rules = await octokit.request("GET /repos/{owner}/{repo}/rules/branches/{branch}", {
      owner,
      repo,
      branch: "release/9",
    });
    expect(rules.data).toEqual([
      expect.objectContaining({ type: "creation", ruleset_source_type: "Repository" }),
      expect.objectContaining({
        type: "update",
        parameters: { update_allows_fetch_and_merge: false },
      }),
    ]);
    for (const branch of ["release", "release/9/rc", "old"]) {
      const none = await octokit.request("GET /repos/{owner}/{repo}/rules/branches/{branch}", {
        owner,
        repo,
        branch,
      });
      expect([branch, none.data]).toEqual([branch, []]);
    }
  });

  it("re-checks the branch on `/ship retry` and on the retry link: a ruleset added since refuses", async () => {
    // One whole run first: on a loaded machine it takes up to a minute or two.
    const { issue, comment } = askShip(
      t,
      // A passing trouble (the model server fails), so the comment offers a retry.
      "/ship --branch hotfix/1 --model sim/server-error add a README",
    );
    const failed = await awaitRun(t, comment.id, 150_000);
    expect(failed.state).toBe("failed");
    t.world.github.addBranchRuleset(repository, { pattern: "hotfix/**", rules: ["update"] });

    const retry = t.world.github.createIssueComment({
      repository,
      issueNumber: issue.number,
      author: t.world.sample.writer.login,
      body: "/ship retry",
    });
    const { reply, delivery } = await refusalOf(issue.number, retry.id);
    expect(reply.body).toContain(
      "`hotfix/1` is protected by a ruleset (`update` rule), and Ship never pushes",
    );
    expect(delivery).toEqual({ outcome: "ignored", reason: "protected branch" });

    const status = t.world.github
      .issueComments(repository, issue.number)
      .find((c) => c.body.includes(`<!-- ship:run:${failed.id} -->`));
    const link = /\[retry here\]\(([^)]+)\)/.exec(status?.body ?? "")?.[1] ?? "";
    expect(link).not.toBe("");
    const { cookies } = await authorizeShipAs({
      shipUrl: t.config.publicUrl,
      login: t.world.sample.writer.login,
      returnTo: link.slice(t.config.publicUrl.length),
    });
    const page = await fetch(link, { headers: { cookie: cookies } });
    expect(page.status).toBe(409);
    expect(await page.text()).toContain("is protected by a ruleset (`update` rule)");

    const { rows } = await t.db.pool.query("SELECT id FROM runs WHERE retry_of = $1", [failed.id]);
    expect(rows).toEqual([]);
  }, 180_000);
});
