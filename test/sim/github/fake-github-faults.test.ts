import { Octokit as RestOctokit } from "@octokit/rest";
import { Probot, ProbotOctokit } from "probot";
import { testLogger } from "../../helpers/test-logger.js";
import { type SeededGitHub, startSeededGitHub } from "./start-seeded-github.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

// Injected failures look like GitHub's, so Ship's retry and back-off code meets what it
// will meet in production.
describe("fake GitHub fault injection", () => {
  let world: SeededGitHub;
  let rest: RestOctokit;

  beforeAll(async () => {
    world = await startSeededGitHub({ rateLimit: 50 });
    const token = world.gh.createInstallationToken(world.installation.id);
    rest = new RestOctokit({
      auth: token,
      baseUrl: world.gh.apiUrl,
      log: { debug() {}, info() {}, warn() {}, error() {} },
    });
  });
  afterEach(() => world.gh.faults.clear());
  afterAll(() => world?.stop());

  it("puts rate-limit headers on every API response", async () => {
    const { headers } = await rest.rest.repos.get({ owner: "alice", repo: "demo" });
    expect(headers).toMatchObject({
      "x-ratelimit-limit": "50",
      "x-ratelimit-resource": "core",
      "x-ratelimit-remaining": expect.stringMatching(/^\d+$/),
      "x-ratelimit-reset": expect.stringMatching(/^\d{10}$/),
    });
  });

  it("puts them on refusals and unknown paths too, counting the anonymous budget", async () => {
    const refused = await fetch(`${world.gh.apiUrl}/repos/alice/demo`, {
      headers: { authorization: "token ghs_wrong" },
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("x-ratelimit-limit")).toBe("60");
    const unknown = await fetch(`${world.gh.apiUrl}/no/such/endpoint`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("x-ratelimit-remaining")).toMatch(/^\d+$/);
  });

  it("answers 5xx the given number of times; Probot's Octokit retries through it", async () => {
    const fault = world.gh.faults.add({
      method: "GET",
      path: /\/repos\/alice\/demo$/,
      effect: { type: "status", status: 502 },
      times: 2,
    });
    const Octokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
      ...options,
      throttle: { enabled: false },
      retry: { retryAfterBaseValue: 1 },
    }));
    const probot = new Probot({
      appId: world.app.id,
      privateKey: world.app.privateKey,
      baseUrl: world.gh.apiUrl,
      Octokit,
      log: testLogger(),
    });
    const octokit = (await probot.auth(world.installation.id)) as Octokit;
    const { status } = await octokit.rest.repos.get({ owner: "alice", repo: "demo" });
    expect(status).toBe(200);
    expect(fault.hits).toBe(2);
    expect(world.gh.faults.list()).toHaveLength(0);
  });

  it("imitates the primary rate limit", async () => {
    world.gh.faults.add({
      path: "/pulls$",
      effect: { type: "primary-rate-limit", resetInSeconds: 30 },
    });
    const error = await rest.rest.pulls
      .list({ owner: "alice", repo: "demo" })
      .catch((caught) => caught);
    expect(error.status).toBe(403);
    expect(error.response.headers).toMatchObject({ "x-ratelimit-remaining": "0" });
    const reset = Number(error.response.headers["x-ratelimit-reset"]);
    expect(reset - Date.now() / 1000).toBeGreaterThan(25);
    expect(error.message).toMatch(/API rate limit exceeded/);
    // Other routes are untouched.
    expect((await rest.rest.repos.get({ owner: "alice", repo: "demo" })).status).toBe(200);
  });

  it("imitates the secondary rate limit with 403 or 429 and retry-after", async () => {
    world.gh.faults.add({
      method: "POST",
      path: /\/comments$/,
      effect: { type: "secondary-rate-limit", status: 429, retryAfterSeconds: 7 },
      times: 1,
    });
    const issue = world.gh.createIssue({
      repository: "alice/demo",
      author: "alice",
      title: "Busy",
    });
    const comment = () =>
      rest.rest.issues.createComment({
        owner: "alice",
        repo: "demo",
        issue_number: issue.number,
        body: "x",
      });
    const error = await comment().catch((caught) => caught);
    expect(error.status).toBe(429);
    expect(error.response.headers["retry-after"]).toBe("7");
    expect(error.message).toMatch(/secondary rate limit/);
    expect((await comment()).status).toBe(201);
  });

  it("adds latency until the fault is removed", async () => {
    const fault = world.gh.faults.add({
      path: /\/issues\/\d+$/,
      effect: { type: "latency", ms: 120 },
    });
    const issue = world.gh.createIssue({
      repository: "alice/demo",
      author: "alice",
      title: "Slow",
    });
    const timed = async () => {
      const started = performance.now();
      await rest.rest.issues.get({ owner: "alice", repo: "demo", issue_number: issue.number });
      return performance.now() - started;
    };
    expect(await timed()).toBeGreaterThanOrEqual(115);
    fault.remove();
    expect(await timed()).toBeLessThan(100);
  });

  it("enforces the real primary rate limit when an identity spends its budget", async () => {
    const token = world.gh.createUserToken(world.app.id, "alice").token;
    const user = new RestOctokit({
      auth: token,
      baseUrl: world.gh.apiUrl,
      log: { debug() {}, info() {}, warn() {}, error() {} },
    });
    for (let index = 0; index < 50; index++) await user.rest.users.getAuthenticated();
    const error = await user.rest.users.getAuthenticated().catch((caught) => caught);
    expect(error.status).toBe(403);
    expect(error.response.headers["x-ratelimit-remaining"]).toBe("0");
    expect(error.message).toMatch(/API rate limit exceeded for user ID/);
  });
});
