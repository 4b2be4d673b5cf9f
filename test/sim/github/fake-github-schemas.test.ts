import { readFile } from "node:fs/promises";
import path from "node:path";
import { Octokit as RestOctokit } from "@octokit/rest";
import {
  buildSchema,
  type GraphQLField,
  type GraphQLSchema,
  isInterfaceType,
  isObjectType,
  parse,
  validate,
} from "graphql";
import type { ProbotOctokit } from "probot";
import { graphqlSubsetSdl } from "../../../src/sim/github/graphql/graphql-subset-sdl.js";
import type { OpenApiExtract } from "../../../src/sim/github/render/response-templates.js";
import { createGitWorkspace, type GitWorkspace } from "./git-workspace.js";
import { graphqlDocuments } from "./graphql-documents.js";
import { createOpenApiValidator, type OpenApiValidator } from "./openapi-validator.js";
import { type SeededGitHub, startSeededGitHub } from "./start-seeded-github.js";

type Octokit = InstanceType<typeof ProbotOctokit>;
type Hookable = { hook: { wrap: RestOctokit["hook"]["wrap"] } };

// Every kind of answer the fake gives is checked against GitHub's own description:
// REST bodies against the OpenAPI response schemas, webhook payloads against the
// webhook schemas, GraphQL documents against the published GraphQL schema.
describe("fake GitHub against GitHub's published schemas", () => {
  let world: SeededGitHub;
  let workspace: GitWorkspace;
  let extract: OpenApiExtract;
  let validator: OpenApiValidator;
  let githubSchema: GraphQLSchema;
  /** operationId -> statuses answered and validated. */
  const validated = new Map<string, Set<number>>();
  const failures: string[] = [];
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };

  beforeAll(async () => {
    world = await startSeededGitHub();
    workspace = await createGitWorkspace();
    extract = JSON.parse(
      await readFile(path.resolve("src/sim/github/openapi-examples/api.github.com.json"), "utf8"),
    ) as OpenApiExtract;
    validator = createOpenApiValidator(extract);
    // ~0.7 s: built once for the file, never by the fake itself.
    // The package exports no path to its SDL file; the tests run from the repository root.
    const sdl = await readFile(
      path.resolve("node_modules/@octokit/graphql-schema/schema.graphql"),
      "utf8",
    );
    githubSchema = buildSchema(sdl, { assumeValidSDL: true });
  });
  afterAll(async () => {
    await world?.stop();
    await workspace?.remove();
  });

  /** Validates every REST answer the client receives, success or error. */
  function track<T extends Hookable>(octokit: T): T {
    octokit.hook.wrap("request", async (request, options) => {
      const check = (status: number, body: unknown) => {
        const url = String(options.url);
        if (url.endsWith("/graphql")) return;
        const operationId = validator.operationFor(String(options.method), url);
        if (!operationId) {
          failures.push(`${options.method} ${url} is not an operation of the extract`);
          return;
        }
        const documented = extract.operations[operationId]?.responses[String(status)];
        // GitHub answers 401 and 403 everywhere without documenting them each time.
        if (!documented && status >= 400) return;
        const errors = validator.validateResponse(operationId, status, body);
        if (errors.length > 0)
          failures.push(`${operationId} ${status}: ${errors.slice(0, 5).join("; ")}`);
        else validated.set(operationId, (validated.get(operationId) ?? new Set()).add(status));
      };
      try {
        const response = await request(options);
        check(response.status, response.data);
        return response;
      } catch (error) {
        const failure = error as { status?: number; response?: { data?: unknown } };
        if (failure.status) check(failure.status, failure.response?.data);
        throw error;
      }
    });
    return octokit;
  }

  it("answers every REST operation it serves with bodies that match GitHub's schemas", async () => {
    const { gh, probot, installation, app } = world;
    const owner = "alice";
    const repo = "demo";
    const appOctokit = track((await probot.auth()) as Octokit);
    const octokit = track((await probot.auth(installation.id)) as Octokit);
    gh.createUser({ login: "bob" });
    gh.addCollaborator("alice/demo", "bob", "write");
    // An organization's repository: its webhooks carry `organization` as well.
    gh.createOrganization({ login: "acme", name: "Acme" });
    await gh.createRepository({ owner: "acme", name: "site", private: false });
    gh.addCollaborator("acme/site", "bob", "maintain");
    gh.installApp({ appId: app.id, account: "acme", installer: "bob", repositories: ["site"] });
    const orgIssue = gh.createIssue({ repository: "acme/site", author: "bob", title: "Org issue" });
    gh.createIssueComment({
      repository: "acme/site",
      issueNumber: orgIssue.number,
      author: "bob",
      body: "/ship",
    });
    const bobToken = gh.createUserToken(app.id, "bob").token;
    const bob = track(new RestOctokit({ auth: bobToken, baseUrl: gh.apiUrl, log: quiet }));
    const anonymous = track(new RestOctokit({ baseUrl: gh.apiUrl, log: quiet }));

    // The app and its installations.
    await appOctokit.rest.apps.getAuthenticated();
    await appOctokit.rest.apps.listInstallations();
    await appOctokit.rest.apps.getInstallation({ installation_id: installation.id });
    await appOctokit.rest.apps.getRepoInstallation({ owner, repo });
    await appOctokit.rest.apps.getUserInstallation({ username: "alice" });
    await appOctokit.rest.apps.getOrgInstallation({ org: "acme" });
    await appOctokit.rest.apps.createInstallationAccessToken({
      installation_id: installation.id,
      repositories: [repo],
      permissions: { contents: "read", issues: "write" },
    });
    await appOctokit.rest.apps
      .createInstallationAccessToken({ installation_id: installation.id, repositories: ["nope"] })
      .catch(() => {});
    await octokit.rest.apps.listReposAccessibleToInstallation();

    // Users and repositories.
    await bob.rest.users.getAuthenticated();
    await anonymous.rest.users.getByUsername({ username: "alice" });
    await anonymous.rest.users.getByUsername({ username: "nobody-here" }).catch(() => {});
    await octokit.rest.repos.get({ owner, repo });
    await bob.rest.repos.get({ owner, repo });
    await anonymous.rest.repos.get({ owner, repo }).catch(() => {});
    await octokit.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username: "bob" });
    await octokit.rest.repos.getBranch({ owner, repo, branch: "main" });
    await octokit.rest.repos.getBranch({ owner, repo, branch: "missing" }).catch(() => {});
    const { data: main } = await octokit.rest.git.getRef({ owner, repo, ref: "heads/main" });
    await octokit.rest.git.getRef({ owner, repo, ref: "heads/missing" }).catch(() => {});
    await octokit.rest.rateLimit.get();
    await octokit.rest.repos.getContent({ owner, repo, path: "README.md" });
    await octokit.rest.repos.getContent({ owner, repo, path: "src" });
    await octokit.rest.repos.getContent({ owner, repo, path: "" });
    await octokit.rest.repos.getContent({ owner, repo, path: "missing.txt" }).catch(() => {});

    // The Git Data API: a commit on a new branch without git.
    const { data: base } = await octokit.rest.git.getCommit({
      owner,
      repo,
      commit_sha: main.object.sha,
    });
    const { data: blob } = await octokit.rest.git.createBlob({
      owner,
      repo,
      content: "aGVsbG8K",
      encoding: "base64",
    });
    const { data: tree } = await octokit.rest.git.createTree({
      owner,
      repo,
      base_tree: base.tree.sha,
      tree: [
        { path: "docs/hello.txt", mode: "100644", type: "blob", sha: blob.sha },
        { path: "docs/inline.md", mode: "100644", type: "blob", content: "# inline\n" },
      ],
    });
    const { data: commit } = await octokit.rest.git.createCommit({
      owner,
      repo,
      message: "Add docs",
      tree: tree.sha,
      parents: [main.object.sha],
    });
    await octokit.rest.git.createRef({ owner, repo, ref: "refs/heads/docs", sha: commit.sha });
    await octokit.rest.git
      .createRef({ owner, repo, ref: "refs/heads/docs", sha: commit.sha })
      .catch(() => {});
    await octokit.rest.git.createRef({ owner, repo, ref: "refs/heads/scratch", sha: commit.sha });
    await octokit.rest.git.deleteRef({ owner, repo, ref: "heads/scratch" });

    // Issues, comments, reactions, labels.
    const { data: issue } = await octokit.rest.issues.create({
      owner,
      repo,
      title: "Docs",
      body: "Add docs",
    });
    await octokit.rest.issues.get({ owner, repo, issue_number: issue.number });
    await octokit.rest.issues.get({ owner, repo, issue_number: 9999 }).catch(() => {});
    await octokit.rest.issues.update({ owner, repo, issue_number: issue.number, title: "Docs!" });
    await octokit.rest.issues.update({ owner, repo, issue_number: issue.number, state: "closed" });
    await octokit.rest.issues.update({ owner, repo, issue_number: issue.number, state: "open" });
    const { data: comment } = await bob.rest.issues.createComment({
      owner,
      repo,
      issue_number: issue.number,
      body: "/ship add docs",
    });
    await octokit.rest.issues
      .createComment({ owner, repo, issue_number: issue.number, body: "" })
      .catch(() => {});
    await octokit.rest.issues.listComments({ owner, repo, issue_number: issue.number });
    await octokit.rest.issues.getComment({ owner, repo, comment_id: comment.id });
    await bob.rest.issues.updateComment({
      owner,
      repo,
      comment_id: comment.id,
      body: "/ship add more docs",
    });
    await octokit.rest.reactions.createForIssueComment({
      owner,
      repo,
      comment_id: comment.id,
      content: "eyes",
    });
    await octokit.rest.reactions.createForIssueComment({
      owner,
      repo,
      comment_id: comment.id,
      content: "eyes",
    });
    await octokit.rest.reactions.listForIssueComment({ owner, repo, comment_id: comment.id });
    await octokit.rest.reactions.createForIssue({
      owner,
      repo,
      issue_number: issue.number,
      content: "rocket",
    });
    await octokit.rest.reactions.listForIssue({ owner, repo, issue_number: issue.number });
    await octokit.rest.issues.createLabel({
      owner,
      repo,
      name: "ship",
      color: "5319e7",
      description: "Run Ship",
    });
    await octokit.rest.issues.createLabel({ owner, repo, name: "ship" }).catch(() => {});
    await octokit.rest.issues.getLabel({ owner, repo, name: "ship" });
    await octokit.rest.issues.addLabels({
      owner,
      repo,
      issue_number: issue.number,
      labels: ["ship", "bug"],
    });
    await octokit.rest.issues.listLabelsOnIssue({ owner, repo, issue_number: issue.number });
    await octokit.rest.issues.removeLabel({ owner, repo, issue_number: issue.number, name: "bug" });
    await octokit.rest.issues
      .removeLabel({ owner, repo, issue_number: issue.number, name: "bug" })
      .catch(() => {});
    const { data: doomed } = await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number: issue.number,
      body: "bye",
    });
    await octokit.rest.issues.deleteComment({ owner, repo, comment_id: doomed.id });

    // Pull requests and review comments.
    const { data: pull } = await octokit.rest.pulls.create({
      owner,
      repo,
      title: "Add docs",
      head: "docs",
      base: "main",
      draft: true,
    });
    await octokit.rest.pulls
      .create({ owner, repo, title: "Again", head: "docs", base: "main" })
      .catch(() => {});
    await octokit.rest.pulls.get({ owner, repo, pull_number: pull.number });
    await octokit.rest.pulls.list({ owner, repo, state: "all", head: "alice:docs" });
    await octokit.rest.pulls.update({ owner, repo, pull_number: pull.number, body: "Adds docs." });
    await octokit.rest.pulls.update({ owner, repo, pull_number: pull.number, state: "closed" });
    await octokit.rest.pulls.update({ owner, repo, pull_number: pull.number, state: "open" });
    await octokit.rest.pulls.requestReviewers({
      owner,
      repo,
      pull_number: pull.number,
      reviewers: ["bob"],
    });
    await octokit.rest.issues.addAssignees({
      owner,
      repo,
      issue_number: pull.number,
      assignees: ["bob"],
    });
    expect(await gh.pullRequest("alice/demo", pull.number)).toMatchObject({
      requestedReviewers: ["bob"],
      assignees: ["bob"],
    });
    await octokit.rest.issues.addLabels({
      owner,
      repo,
      issue_number: pull.number,
      labels: ["ship"],
    });
    await octokit.rest.issues.removeLabel({ owner, repo, issue_number: pull.number, name: "ship" });
    const { data: review } = await bob.rest.pulls.createReviewComment({
      owner,
      repo,
      pull_number: pull.number,
      body: "/ship shorter please",
      path: "docs/inline.md",
      line: 1,
      commit_id: commit.sha,
    });
    await octokit.rest.pulls.createReplyForReviewComment({
      owner,
      repo,
      pull_number: pull.number,
      comment_id: review.id,
      body: "On it",
    });
    await octokit.rest.pulls.listReviewComments({ owner, repo, pull_number: pull.number });
    await octokit.rest.pulls.getReviewComment({ owner, repo, comment_id: review.id });
    await octokit.rest.reactions.createForPullRequestReviewComment({
      owner,
      repo,
      comment_id: review.id,
      content: "+1",
    });
    await octokit.rest.reactions.listForPullRequestReviewComment({
      owner,
      repo,
      comment_id: review.id,
    });

    // A new commit on the pull request's branch, through the Git Data API.
    const { data: next } = await octokit.rest.git.createCommit({
      owner,
      repo,
      message: "More docs",
      tree: tree.sha,
      parents: [commit.sha],
    });
    await octokit.rest.git.updateRef({ owner, repo, ref: "heads/docs", sha: next.sha });
    await octokit.rest.git
      .updateRef({ owner, repo, ref: "heads/docs", sha: main.object.sha })
      .catch(() => {});
    expect((await gh.pullRequest("alice/demo", pull.number)).head.sha).toBe(next.sha);

    // What reviewers' tools read: a commit, a comparison, a pull request's commits and files.
    await octokit.rest.repos.getCommit({ owner, repo, ref: next.sha });
    await octokit.rest.repos.getCommit({ owner, repo, ref: "docs" });
    await octokit.rest.repos.getCommit({ owner, repo, ref: "no-such-ref" }).catch(() => {});
    await octokit.rest.repos.compareCommits({ owner, repo, base: "main", head: "docs" });
    await octokit.rest.repos.compareCommits({ owner, repo, base: "docs", head: "main" });
    await octokit.rest.pulls.listCommits({ owner, repo, pull_number: pull.number });
    await octokit.rest.pulls.listFiles({ owner, repo, pull_number: pull.number });

    // The repository's issues and labels.
    await octokit.rest.issues.listForRepo({ owner, repo, state: "all" });
    await octokit.rest.issues.listLabelsForRepo({ owner, repo });
    await octokit.rest.issues.createLabel({ owner, repo, name: "doomed" });
    await octokit.rest.issues.updateLabel({
      owner,
      repo,
      name: "doomed",
      new_name: "doomed-too",
      color: "BADA55",
    });
    await octokit.rest.issues.deleteLabel({ owner, repo, name: "doomed-too" });

    // Draft and ready over GraphQL (their webhooks are validated below).
    const id = (await gh.pullRequest("alice/demo", pull.number)).nodeId;
    await octokit.graphql(graphqlDocuments.markReadyForReview, { id });
    await octokit.graphql(graphqlDocuments.convertToDraft, { id });

    // The delivery log, and revoking a user's grant.
    await gh.waitForDeliveries();
    const { data: deliveries } = await appOctokit.rest.apps.listWebhookDeliveries({ per_page: 5 });
    const first = deliveries[0];
    if (!first) throw new Error("no deliveries listed");
    await appOctokit.rest.apps.getWebhookDelivery({ delivery_id: first.id });
    await appOctokit.rest.apps.redeliverWebhookDelivery({ delivery_id: first.id });
    await anonymous.rest.apps.deleteAuthorization({
      client_id: app.clientId,
      access_token: bobToken,
      headers: {
        authorization: `basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString("base64")}`,
      },
    });

    expect(failures).toEqual([]);
    const unanswered = Object.keys(extract.operations).filter(
      (operationId) => ![...(validated.get(operationId) ?? [])].some((status) => status < 300),
    );
    expect(unanswered).toEqual([]);
    // Errors were checked too, where GitHub documents their shape.
    expect(validated.get("issues/get")).toContain(404);
    expect(validated.get("pulls/create")).toContain(422);
  });

  it("sends webhook payloads that match GitHub's schema for every event it sends", async () => {
    const { gh, installation } = world;
    // The last events: the installation goes away.
    gh.uninstallApp(installation.id);
    await gh.waitForDeliveries();
    const problems: string[] = [];
    const sent = new Set<string>();
    for (const delivery of gh.deliveries) {
      const name = `${delivery.event}.${delivery.action}`;
      sent.add(name);
      const errors = validator.validateWebhook(name, delivery.payload);
      if (errors.length > 0) problems.push(`${name}: ${errors.slice(0, 5).join("; ")}`);
    }
    expect(problems).toEqual([]);
    expect(Object.keys(extract.webhooks).filter((name) => !sent.has(name))).toEqual([]);
  });

  it("uses only GraphQL documents that are valid against GitHub's schema", () => {
    for (const [name, document] of Object.entries(graphqlDocuments)) {
      const errors = validate(githubSchema, parse(document)).map((error) => error.message);
      expect({ name, errors }).toEqual({ name, errors: [] });
    }
  });

  it("executes a part of GitHub's GraphQL schema with GitHub's own names and types", () => {
    const subset = buildSchema(graphqlSubsetSdl);
    const mismatches: string[] = [];
    for (const type of Object.values(subset.getTypeMap())) {
      if (type.name.startsWith("__") || !(isObjectType(type) || isInterfaceType(type))) continue;
      const real = githubSchema.getType(type.name);
      if (!real || !(isObjectType(real) || isInterfaceType(real))) {
        mismatches.push(`${type.name} is not a GitHub type`);
        continue;
      }
      const realFields = real.getFields() as Record<string, GraphQLField<unknown, unknown>>;
      for (const field of Object.values(type.getFields())) {
        const counterpart = realFields[field.name];
        if (!counterpart) {
          mismatches.push(`${type.name}.${field.name} does not exist`);
          continue;
        }
        if (String(counterpart.type) !== String(field.type)) {
          mismatches.push(
            `${type.name}.${field.name}: ${field.type} vs GitHub's ${counterpart.type}`,
          );
        }
        for (const arg of field.args) {
          const realArg = counterpart.args.find((candidate) => candidate.name === arg.name);
          if (!realArg || String(realArg.type) !== String(arg.type)) {
            mismatches.push(`${type.name}.${field.name}(${arg.name}) differs`);
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});
