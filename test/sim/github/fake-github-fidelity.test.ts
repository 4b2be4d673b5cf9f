import { Octokit } from "@octokit/rest";
import { type SeededGitHub, startSeededGitHub } from "./start-seeded-github.js";

// Where the fake used to differ from api.github.com as Octokit recorded it
// (`@octokit/fixtures`) and as GitHub documents it: each case failed before its fix.
describe("fake GitHub answers like api.github.com", () => {
  let world: SeededGitHub;
  let octokit: Octokit;
  let token: string;
  const owner = "alice";
  const repo = "demo";
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };

  beforeAll(async () => {
    world = await startSeededGitHub();
    token = world.gh.createInstallationToken(world.installation.id);
    octokit = new Octokit({ auth: token, baseUrl: world.gh.apiUrl, log: quiet });
  });
  afterAll(async () => {
    await world?.stop();
  });

  /** A REST call with the installation token, answered as sent. */
  const call = (path: string, init: { headers?: Record<string, string> } = {}) =>
    fetch(path.startsWith("http") ? path : `${world.gh.apiUrl}${path}`, {
      headers: {
        authorization: `token ${token}`,
        accept: "application/vnd.github.v3+json",
        ...init.headers,
      },
    });

  /** A commit on a new branch `name` through the Git Data API: README changed, a file added, one renamed, one removed. */
  async function branchWithChanges(name: string) {
    const { data: main } = await octokit.rest.git.getRef({ owner, repo, ref: "heads/main" });
    const { data: base } = await octokit.rest.git.getCommit({
      owner,
      repo,
      commit_sha: main.object.sha,
    });
    const { data: index } = await octokit.rest.repos.getContent({
      owner,
      repo,
      path: "src/index.ts",
    });
    const { data: tree } = await octokit.rest.git.createTree({
      owner,
      repo,
      base_tree: base.tree.sha,
      tree: [
        { path: "README.md", mode: "100644", type: "blob", content: "# demo\n\nChanged.\n" },
        { path: "docs/new.md", mode: "100644", type: "blob", content: "new\n" },
        { path: "src/index.ts", mode: "100644", type: "blob", sha: null },
        {
          path: "src/main.ts",
          mode: "100644",
          type: "blob",
          sha: (index as { sha: string }).sha,
        },
      ],
    });
    const { data: commit } = await octokit.rest.git.createCommit({
      owner,
      repo,
      message: `Change things on ${name}`,
      tree: tree.sha,
      parents: [main.object.sha],
    });
    await octokit.rest.git.createRef({ owner, repo, ref: `refs/heads/${name}`, sha: commit.sha });
    return { base: main.object.sha, head: commit.sha };
  }

  it("answers Git Data creates with Location, as issues and pulls do", async () => {
    const blob = await octokit.rest.git.createBlob({ owner, repo, content: "hi\n" });
    expect(blob.status).toBe(201);
    expect(blob.headers.location).toBe(blob.data.url);
    const { data: main } = await octokit.rest.git.getRef({ owner, repo, ref: "heads/main" });
    const { data: base } = await octokit.rest.git.getCommit({
      owner,
      repo,
      commit_sha: main.object.sha,
    });
    const tree = await octokit.rest.git.createTree({
      owner,
      repo,
      base_tree: base.tree.sha,
      tree: [{ path: "hi.txt", mode: "100644", type: "blob", sha: blob.data.sha }],
    });
    expect(tree.headers.location).toBe(tree.data.url);
    const commit = await octokit.rest.git.createCommit({
      owner,
      repo,
      message: "Hi",
      tree: tree.data.sha,
      parents: [main.object.sha],
    });
    expect(commit.headers.location).toBe(commit.data.url);
    const ref = await octokit.rest.git.createRef({
      owner,
      repo,
      ref: "refs/heads/hi",
      sha: commit.data.sha,
    });
    expect(ref.headers.location).toBe(`${world.gh.apiUrl}/repos/alice/demo/git/refs/heads/hi`);
  });

  it.each(["application/vnd.github.v3.raw", "application/vnd.github.raw"])(
    "serves a file raw with GitHub's media type headers for %s",
    async (accept) => {
      const listed = (await (await call("/repos/alice/demo/contents/")).json()) as Array<{
        name: string;
        sha: string;
      }>;
      const readme = listed.find((entry) => entry.name === "README.md");
      const response = await call("/repos/alice/demo/contents/README.md", { headers: { accept } });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe(
        "application/vnd.github.v3.raw; charset=utf-8",
      );
      expect(response.headers.get("x-github-media-type")).toBe("github.v3; param=raw");
      expect(response.headers.get("etag")).toBe(`"${readme?.sha}"`);
      expect(response.headers.get("last-modified")).toMatch(/ GMT$/);
      expect(await response.text()).toBe("# demo\n\nA repository for tests.\n");
    },
  );

  it("sends the issue and repository keys api.github.com sends", async () => {
    const seeded = world.gh.createIssue({ repository: "alice/demo", author: "alice", title: "A" });
    const { data: issue } = await octokit.rest.issues.get({
      owner,
      repo,
      issue_number: seeded.number,
    });
    expect(issue).toMatchObject({
      timeline_url: `${world.gh.apiUrl}/repos/alice/demo/issues/${seeded.number}/timeline`,
      performed_via_github_app: null,
      reactions: { total_count: 0, "+1": 0, eyes: 0 },
    });
    const { data: created } = await octokit.rest.issues.create({ owner, repo, title: "By Ship" });
    expect(created.performed_via_github_app?.slug).toBe("ship");
    const { data: repository } = await octokit.rest.repos.get({ owner, repo });
    expect(repository).toMatchObject({
      web_commit_signoff_required: false,
      allow_update_branch: false,
      use_squash_pr_title_as_default: false,
    });
  });

  it("sends caching headers and answers a matching If-None-Match with a free 304", async () => {
    const seeded = world.gh.createIssue({ repository: "alice/demo", author: "alice", title: "C" });
    const path = `/repos/alice/demo/issues/${seeded.number}`;
    const first = await call(path);
    const etag = first.headers.get("etag") ?? "";
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    expect(first.headers.get("cache-control")).toBe("private, max-age=60, s-maxage=60");
    expect(first.headers.get("x-content-type-options")).toBe("nosniff");
    expect(first.headers.get("last-modified")).toBe(new Date(seeded.updatedAt).toUTCString());
    const remaining = Number(first.headers.get("x-ratelimit-remaining"));

    for (const tag of [etag, `W/${etag}`]) {
      const again = await call(path, { headers: { "if-none-match": tag } });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe("");
      expect(again.headers.get("etag")).toBe(etag);
      expect(Number(again.headers.get("x-ratelimit-remaining"))).toBe(remaining);
    }
    const sinceThen = await call(path, {
      headers: { "if-modified-since": first.headers.get("last-modified") ?? "" },
    });
    expect(sinceThen.status).toBe(304);

    await octokit.rest.issues.update({ owner, repo, issue_number: seeded.number, title: "C2" });
    const changed = await call(path, { headers: { "if-none-match": etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
    expect(Number(changed.headers.get("x-ratelimit-remaining"))).toBe(remaining - 2);
    // Errors and empty answers carry no validators.
    const missing = await call("/repos/alice/demo/issues/99999");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("etag")).toBeNull();
    expect(missing.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("links pages in GitHub's /repositories/{id} form and answers those URLs", async () => {
    const seeded = world.gh.createIssue({ repository: "alice/demo", author: "alice", title: "P" });
    for (const body of ["one", "two", "three"]) {
      world.gh.createIssueComment({
        repository: "alice/demo",
        issueNumber: seeded.number,
        author: "alice",
        body,
      });
    }
    const { data: repository } = await octokit.rest.repos.get({ owner, repo });
    const base = `${world.gh.apiUrl}/repositories/${repository.id}/issues/${seeded.number}/comments`;
    const first = await call(`/repos/alice/demo/issues/${seeded.number}/comments?per_page=1`);
    expect(first.headers.get("link")).toBe(
      `<${base}?per_page=1&page=2>; rel="next", <${base}?per_page=1&page=3>; rel="last"`,
    );
    const second = await call(`${base}?per_page=1&page=2`);
    expect(second.status).toBe(200);
    expect(((await second.json()) as Array<{ body: string }>).map((c) => c.body)).toEqual(["two"]);
    const all = await octokit.paginate(octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: seeded.number,
      per_page: 1,
    });
    expect(all.map((comment) => comment.body)).toEqual(["one", "two", "three"]);
    expect((await call(`/repositories/${repository.id}`)).status).toBe(200);
    expect((await call("/repositories/987654321")).status).toBe(404);
  });

  it("lists a pull request's files and commits, compares and shows commits, from git", async () => {
    const { base, head } = await branchWithChanges("review-me");
    const pull = await world.gh.createPullRequest({
      repository: "alice/demo",
      author: "alice",
      title: "Review me",
      head: "review-me",
    });
    const { data: files } = await octokit.rest.pulls.listFiles({
      owner,
      repo,
      pull_number: pull.number,
    });
    const byName = Object.fromEntries(files.map((file) => [file.filename, file]));
    expect(Object.keys(byName).sort()).toEqual(["README.md", "docs/new.md", "src/main.ts"]);
    expect(byName["README.md"]).toMatchObject({ status: "modified", additions: 1, deletions: 1 });
    expect(byName["README.md"]?.patch).toMatch(/^@@ -1,3 \+1,3 @@/);
    expect(byName["docs/new.md"]).toMatchObject({ status: "added", additions: 1, changes: 1 });
    expect(byName["src/main.ts"]).toMatchObject({
      status: "renamed",
      previous_filename: "src/index.ts",
    });

    const { data: commits } = await octokit.rest.pulls.listCommits({
      owner,
      repo,
      pull_number: pull.number,
    });
    expect(commits.map((commit) => commit.sha)).toEqual([head]);
    expect(commits[0]?.commit.message).toBe("Change things on review-me");

    const { data: comparison } = await octokit.rest.repos.compareCommits({
      owner,
      repo,
      base: "main",
      head: "review-me",
    });
    expect(comparison).toMatchObject({
      status: "ahead",
      ahead_by: 1,
      behind_by: 0,
      total_commits: 1,
      base_commit: { sha: base },
      merge_base_commit: { sha: base },
    });
    expect(comparison.files?.map((file) => file.filename).sort()).toEqual(
      Object.keys(byName).sort(),
    );
    const { data: backwards } = await octokit.rest.repos.compareCommits({
      owner,
      repo,
      base: head,
      head: base,
    });
    expect(backwards).toMatchObject({ status: "behind", ahead_by: 0, behind_by: 1 });

    const { data: commit } = await octokit.rest.repos.getCommit({ owner, repo, ref: "review-me" });
    expect(commit).toMatchObject({ sha: head, stats: { additions: 2, deletions: 1, total: 3 } });
    expect(commit.files?.length).toBe(3);
    await expect(octokit.rest.repos.getCommit({ owner, repo, ref: "nope" })).rejects.toMatchObject({
      status: 422,
    });
  });
});
