import path from "node:path";
import type { ProbotOctokit } from "probot";
import { createGitWorkspace, type GitWorkspace } from "./git-workspace.js";
import { type SeededGitHub, startSeededGitHub } from "./start-seeded-github.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

// Webhooks as an app receives them: when they are sent, how they look, and what
// happens when the app's endpoint fails.
describe("fake GitHub webhooks", () => {
  let world: SeededGitHub;
  let workspace: GitWorkspace;
  let octokit: Octokit;

  beforeAll(async () => {
    world = await startSeededGitHub();
    workspace = await createGitWorkspace();
    octokit = (await world.probot.auth(world.installation.id)) as Octokit;
  });
  afterAll(async () => {
    await world?.stop();
    await workspace?.remove();
  });

  it("sent installation.created when the app was installed", () => {
    const [first] = world.receiver.received;
    expect(first).toMatchObject({
      name: "installation",
      verified: true,
      payload: {
        action: "created",
        installation: {
          id: world.installation.id,
          app_id: world.app.id,
          account: { login: "alice" },
        },
        repositories: [{ full_name: "alice/demo", private: true }],
        sender: { login: "alice" },
      },
    });
  });

  it("answers the API call before the webhook is delivered, and the test can await it", async () => {
    const release = world.receiver.hold();
    const issue = world.gh.createIssue({
      repository: "alice/demo",
      author: "alice",
      title: "Async",
    });
    const { data: comment } = await octokit.rest.issues.createComment({
      owner: "alice",
      repo: "demo",
      issue_number: issue.number,
      body: "/ship add a README",
    });
    const delivery = world.gh.deliveries.find(
      (candidate) => (candidate.payload.comment as { id?: number } | undefined)?.id === comment.id,
    );
    expect(delivery?.status).toBe("pending");
    release();
    await world.gh.waitForDeliveries();
    expect(delivery).toMatchObject({ status: "OK", statusCode: 200 });
    expect(delivery?.durationMs).toBeGreaterThan(0);
  });

  it("sends the headers GitHub sends, with a signature @octokit/webhooks verifies", async () => {
    const issue = world.gh.createIssue({
      repository: "alice/demo",
      author: "alice",
      title: "Headers",
    });
    const comment = world.gh.createIssueComment({
      repository: "alice/demo",
      issueNumber: issue.number,
      author: "alice",
      body: "/ship go",
    });
    const delivery = await world.gh.waitForDelivery(
      (candidate) => (candidate.payload.comment as { id?: number } | undefined)?.id === comment.id,
    );
    const received = world.receiver.received.find((webhook) => webhook.id === delivery.guid);
    expect(received?.verified).toBe(true);
    expect(received?.headers).toMatchObject({
      "x-github-event": "issue_comment",
      "x-github-delivery": expect.stringMatching(/^[0-9a-f-]{36}$/),
      "x-hub-signature-256": expect.stringMatching(/^sha256=[0-9a-f]{64}$/),
      "x-github-hook-installation-target-id": String(world.app.id),
      "x-github-hook-installation-target-type": "integration",
      "content-type": "application/json",
    });
    expect(received?.payload).toMatchObject({
      action: "created",
      comment: {
        body: "/ship go",
        user: { login: "alice", type: "User" },
        author_association: "OWNER",
      },
      issue: { number: issue.number, title: "Headers" },
      sender: { login: "alice" },
      installation: { id: world.installation.id, node_id: expect.any(String) },
    });
  });

  it("redelivers a failed delivery with the same delivery id", async () => {
    world.receiver.respondWith(500);
    const issue = world.gh.createIssue({
      repository: "alice/demo",
      author: "alice",
      title: "Flaky receiver",
    });
    const failed = await world.gh.waitForDelivery(
      (candidate) =>
        candidate.event === "issues" && (candidate.payload.issue as { id: number }).id === issue.id,
    );
    expect(failed).toMatchObject({
      statusCode: 500,
      status: "Invalid HTTP Response: 500",
      redelivery: false,
    });

    world.receiver.respondWith(200);
    const again = await world.gh.redeliver(failed.guid);
    expect(again).toMatchObject({ guid: failed.guid, redelivery: true, statusCode: 200 });
    expect(again.id).not.toBe(failed.id);
    expect(world.receiver.received.filter((webhook) => webhook.id === failed.guid)).toHaveLength(2);

    // The same, through GitHub's REST API for the app's delivery log.
    world.receiver.respondWith(502);
    const comment = world.gh.createIssueComment({
      repository: "alice/demo",
      issueNumber: issue.number,
      author: "alice",
      body: "again",
    });
    const broken = await world.gh.waitForDelivery(
      (candidate) => (candidate.payload.comment as { id?: number } | undefined)?.id === comment.id,
    );
    world.receiver.respondWith(200);
    const appOctokit = (await world.probot.auth()) as Octokit;
    const { data: log } = await appOctokit.rest.apps.listWebhookDeliveries();
    expect(log.find((item) => item.id === broken.id)).toMatchObject({
      status_code: 502,
      guid: broken.guid,
    });
    const { status } = await appOctokit.rest.apps.redeliverWebhookDelivery({
      delivery_id: broken.id,
    });
    expect(status).toBe(202);
    await world.gh.waitForDeliveries();
    const retried = world.gh.deliveries.filter((delivery) => delivery.guid === broken.guid);
    expect(retried.map((delivery) => delivery.statusCode)).toEqual([502, 200]);
  });

  it("sends issues.labeled with the label, also for labels added through the API", async () => {
    const issue = world.gh.createIssue({
      repository: "alice/demo",
      author: "alice",
      title: "Label me",
    });
    await octokit.rest.issues.addLabels({
      owner: "alice",
      repo: "demo",
      issue_number: issue.number,
      labels: ["ship"],
    });
    const delivery = await world.gh.waitForDelivery(
      (candidate) => candidate.event === "issues" && candidate.action === "labeled",
    );
    expect(delivery.payload).toMatchObject({
      issue: { number: issue.number, labels: [{ name: "ship" }] },
      label: { name: "ship", color: "ededed" },
      sender: { login: "ship[bot]" },
    });
    expect(world.gh.issue("alice/demo", issue.number).labels).toEqual(["ship"]);
  });

  it("sends pull_request_review_comment.created with the diff hunk, for comments and replies", async () => {
    const { gh } = world;
    const token = gh.createInstallationToken(world.installation.id);
    const dir = path.join(workspace.dir, "review");
    await workspace.git([
      "clone",
      "-q",
      `http://x-access-token:${token}@${gh.host}/alice/demo.git`,
      dir,
    ]);
    await workspace.git(["checkout", "-q", "-b", "feature"], dir);
    await workspace.commitFile(
      dir,
      "README.md",
      "# demo\n\nA repository for tests.\nNew line.\n",
      "Edit",
    );
    await workspace.git(["push", "-q", "origin", "feature"], dir);
    const pull = await gh.createPullRequest({
      repository: "alice/demo",
      author: "alice",
      title: "Feature",
      head: "feature",
    });

    const comment = await gh.createReviewComment({
      repository: "alice/demo",
      pullNumber: pull.number,
      author: "alice",
      body: "/ship make this line shorter",
      path: "README.md",
      line: 4,
    });
    expect(comment.diffHunk).toBe(
      "@@ -1,3 +1,4 @@\n # demo\n \n A repository for tests.\n+New line.",
    );
    const delivery = await gh.waitForDelivery(
      (candidate) => candidate.event === "pull_request_review_comment",
    );
    expect(delivery.payload).toMatchObject({
      action: "created",
      comment: {
        id: comment.id,
        path: "README.md",
        line: 4,
        side: "RIGHT",
        diff_hunk: comment.diffHunk,
        commit_id: pull.head.sha,
        user: { login: "alice" },
      },
      pull_request: { number: pull.number, head: { ref: "feature", sha: pull.head.sha } },
    });

    const { data: reply } = await octokit.rest.pulls.createReplyForReviewComment({
      owner: "alice",
      repo: "demo",
      pull_number: pull.number,
      comment_id: comment.id,
      body: "On it.",
    });
    expect(reply).toMatchObject({ in_reply_to_id: comment.id, path: "README.md", line: 4 });
    const replyDelivery = await gh.waitForDelivery(
      (candidate) =>
        candidate.event === "pull_request_review_comment" &&
        (candidate.payload.comment as { id: number }).id === reply.id,
    );
    expect(replyDelivery.payload).toMatchObject({
      comment: { in_reply_to_id: comment.id, user: { login: "ship[bot]" } },
    });
    const { data: reactions } = await octokit.rest.reactions.createForPullRequestReviewComment({
      owner: "alice",
      repo: "demo",
      comment_id: comment.id,
      content: "eyes",
    });
    expect(reactions.content).toBe("eyes");
    expect(gh.reactions({ type: "review_comment", id: comment.id })).toMatchObject([
      { content: "eyes", user: "ship[bot]" },
    ]);
  });

  it("sends nothing to an app that is not installed on the repository", async () => {
    await world.gh.createRepository({ owner: "alice", name: "elsewhere" });
    const other = world.gh.createUser({ login: "dave" });
    await world.gh.createRepository({ owner: other.login, name: "own" });
    const before = world.gh.deliveries.length;
    world.gh.createIssue({ repository: "dave/own", author: "dave", title: "Not ours" });
    await world.gh.waitForDeliveries();
    expect(world.gh.deliveries.length).toBe(before);
  });

  it("installs through the web form, like a person clicking Install", async () => {
    world.gh.createUser({ login: "erin" });
    await world.gh.createRepository({ owner: "erin", name: "app" });
    const response = await fetch(`${world.gh.url}/apps/ship/installations/new`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ account: "erin", installer: "erin", repositories: "app" }),
    });
    expect(response.status).toBe(200);
    const delivery = await world.gh.waitForDelivery(
      (candidate) =>
        candidate.event === "installation" &&
        (candidate.payload.installation as { account: { login: string } }).account.login === "erin",
    );
    expect(delivery.payload).toMatchObject({
      action: "created",
      installation: { repository_selection: "selected" },
      repositories: [{ full_name: "erin/app" }],
      sender: { login: "erin" },
    });
  });

  it("sends installation.deleted and kills the installation's tokens on uninstall", async () => {
    const token = world.gh.createInstallationToken(world.installation.id);
    world.gh.uninstallApp(world.installation.id);
    const delivery = await world.gh.waitForDelivery(
      (candidate) => candidate.event === "installation" && candidate.action === "deleted",
    );
    expect(delivery.payload).toMatchObject({ installation: { id: world.installation.id } });
    const response = await fetch(`${world.gh.apiUrl}/repos/alice/demo`, {
      headers: { authorization: `token ${token}` },
    });
    expect(response.status).toBe(401);
  });
});
