import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { ProbotOctokit } from "probot";
import { createGitWorkspace, type GitWorkspace } from "./git-workspace.js";
import { graphqlDocuments } from "./graphql-documents.js";
import { type SeededGitHub, startSeededGitHub } from "./start-seeded-github.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

// The acceptance: the real clients (Probot's Octokit with app auth, the git CLI over
// HTTP, @octokit/webhooks verifying signatures) do a Ship run's GitHub part end to end.
describe("fake GitHub with the real clients", () => {
  let world: SeededGitHub;
  let workspace: GitWorkspace;

  beforeAll(async () => {
    world = await startSeededGitHub();
    workspace = await createGitWorkspace();
  });
  afterAll(async () => {
    await world?.stop();
    await workspace?.remove();
  });

  it("authenticates as the app, comments, pushes a branch and opens a draft pull request", async () => {
    const { gh, probot, installation, receiver, app } = world;
    const issue = gh.createIssue({
      repository: "alice/demo",
      author: "alice",
      title: "Add a changelog",
      body: "Please add one.",
    });

    const appOctokit = (await probot.auth()) as Octokit;
    const { data: authenticated } = await appOctokit.rest.apps.getAuthenticated();
    expect(authenticated?.slug).toBe("ship");

    const octokit = (await probot.auth(installation.id)) as Octokit;
    const { data: comment } = await octokit.rest.issues.createComment({
      owner: "alice",
      repo: "demo",
      issue_number: issue.number,
      body: "Working on it.",
    });
    expect(comment.user?.login).toBe("ship[bot]");
    expect(comment.performed_via_github_app?.slug).toBe("ship");

    const { token } = (await octokit.auth({ type: "installation" })) as { token: string };
    const clone = path.join(workspace.dir, "demo");
    await workspace.git([
      "clone",
      "-q",
      `http://x-access-token:${token}@${gh.host}/alice/demo.git`,
      clone,
    ]);
    await workspace.git(["checkout", "-q", "-b", "ship/changelog"], clone);
    const sha = await workspace.commitFile(
      clone,
      "CHANGELOG.md",
      "# Changelog\n",
      "Add a changelog",
    );
    await workspace.git(["push", "-q", "origin", "ship/changelog"], clone);

    const { data: pull } = await octokit.rest.pulls.create({
      owner: "alice",
      repo: "demo",
      title: "Add a changelog",
      body: `Closes #${issue.number}`,
      head: "ship/changelog",
      base: "main",
      draft: true,
    });
    expect(pull).toMatchObject({
      draft: true,
      state: "open",
      head: { ref: "ship/changelog", sha },
      base: { ref: "main" },
      user: { login: "ship[bot]", type: "Bot" },
      commits: 1,
      changed_files: 1,
    });
    expect((await gh.pullRequest("alice/demo", pull.number)).head.sha).toBe(sha);
    const { data: branch } = await octokit.rest.repos.getBranch({
      owner: "alice",
      repo: "demo",
      branch: "ship/changelog",
    });
    expect(branch.commit.sha).toBe(sha);

    const delivery = await gh.waitForDelivery(
      (candidate) =>
        candidate.event === "issue_comment" &&
        (candidate.payload.comment as { id: number }).id === comment.id,
    );
    expect(delivery.statusCode).toBe(200);
    const received = receiver.received.find((webhook) => webhook.id === delivery.guid);
    expect(received).toMatchObject({ name: "issue_comment", verified: true });
    expect(received?.headers["x-github-hook-installation-target-id"]).toBe(String(app.id));
    expect(received?.payload).toMatchObject({
      action: "created",
      comment: { id: comment.id, body: "Working on it.", user: { login: "ship[bot]" } },
      issue: { number: issue.number },
      repository: { full_name: "alice/demo", private: true },
      sender: { login: "ship[bot]" },
      installation: { id: installation.id },
    });
  });

  it("finds a pull request's node id over GraphQL and marks it ready for review", async () => {
    const { gh, probot, installation, receiver } = world;
    const octokit = (await probot.auth(installation.id)) as Octokit;
    const [pull] = await gh.pullRequests("alice/demo");
    if (!pull) throw new Error("the previous test opened no pull request");

    const found = await octokit.graphql<{
      repository: { pullRequest: { id: string; isDraft: boolean; headRefOid: string } };
    }>(graphqlDocuments.pullRequestId, { owner: "alice", name: "demo", number: pull.number });
    expect(found.repository.pullRequest).toMatchObject({
      id: pull.nodeId,
      isDraft: true,
      headRefOid: pull.head.sha,
    });

    const marked = await octokit.graphql<{
      markPullRequestReadyForReview: { pullRequest: { isDraft: boolean } };
    }>(graphqlDocuments.markReadyForReview, { id: found.repository.pullRequest.id });
    expect(marked.markPullRequestReadyForReview.pullRequest.isDraft).toBe(false);
    expect((await gh.pullRequest("alice/demo", pull.number)).draft).toBe(false);

    const delivery = await gh.waitForDelivery(
      (candidate) => candidate.event === "pull_request" && candidate.action === "ready_for_review",
    );
    expect(receiver.received.find((webhook) => webhook.id === delivery.guid)?.verified).toBe(true);
  });

  it("moves the pull request's head when the branch is pushed again", async () => {
    const { gh, probot, installation } = world;
    const octokit = (await probot.auth(installation.id)) as Octokit;
    const clone = path.join(workspace.dir, "demo");
    const sha = await workspace.commitFile(
      clone,
      "CHANGELOG.md",
      "# Changelog\n\n- more\n",
      "More",
    );
    await workspace.git(["push", "-q", "origin", "ship/changelog"], clone);

    const [pull] = await gh.pullRequests("alice/demo");
    expect(pull?.head.sha).toBe(sha);
    const { data } = await octokit.rest.pulls.get({
      owner: "alice",
      repo: "demo",
      pull_number: pull?.number ?? 0,
    });
    expect(data).toMatchObject({ head: { sha }, commits: 2 });
    const synchronize = await gh.waitForDelivery(
      (candidate) => candidate.event === "pull_request" && candidate.action === "synchronize",
    );
    expect(synchronize.payload).toMatchObject({ after: sha, pull_request: { head: { sha } } });
  });

  it("serves repository files to Probot's context.config()", async () => {
    const { gh, probot, installation } = world;
    const token = gh.createInstallationToken(installation.id);
    const clone = path.join(workspace.dir, "config");
    await workspace.git([
      "clone",
      "-q",
      `http://x-access-token:${token}@${gh.host}/alice/demo.git`,
      clone,
    ]);
    await workspace.git(["checkout", "-q", "main"], clone);
    await mkdir(path.join(clone, ".github"), { recursive: true });
    await workspace.commitFile(
      clone,
      ".github/ship.yml",
      "model: local/m\nlabels: [ship]\n",
      "Config",
    );
    await workspace.git(["push", "-q", "origin", "main"], clone);

    const octokit = (await probot.auth(installation.id)) as Octokit;
    const { config } = await octokit.config.get({
      owner: "alice",
      repo: "demo",
      path: ".github/ship.yml",
    });
    expect(config).toEqual({ model: "local/m", labels: ["ship"] });
    const { data } = await octokit.rest.repos.getContent({
      owner: "alice",
      repo: "demo",
      path: ".github/ship.yml",
    });
    expect(Buffer.from((data as { content: string }).content, "base64").toString("utf8")).toContain(
      "model: local/m",
    );
  });

  it("refuses to clone a private repository without a token", async () => {
    const result = await workspace.tryGit([
      "clone",
      "-q",
      `${world.gh.url}/alice/demo.git`,
      path.join(workspace.dir, "anonymous"),
    ]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/could not read Username|Authentication failed/);
  });
});
