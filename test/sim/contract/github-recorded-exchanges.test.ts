import { readFile } from "node:fs/promises";
import path from "node:path";
import type { OpenApiExtract } from "../../../src/sim/github/render/response-templates.js";
import { type FakeGitHub, startFakeGitHub } from "../../../src/sim/github/start-fake-github.js";
import { testLogger } from "../../helpers/test-logger.js";
import { loadRecordedScenario, type RecordedExchange } from "../github/load-recorded-scenario.js";
import { createOpenApiValidator, type OpenApiValidator } from "../github/openapi-validator.js";
import { shapeDifferences } from "../github/shape-differences.js";

// The fake GitHub against material nobody on the team wrote. Every exchange Octokit
// recorded against api.github.com (`@octokit/fixtures`) in a scenario that matters to
// Ship is sent to the fake as recorded (same org, repository names, method, path, query,
// Accept, body; only ids and shas mapped to the fake's), and the answer must have the
// recording's shape: the same status, the same headers that matter present (with the
// same value where the value is a contract: media types, cache policy, CORS, security),
// the same JSON keys with the same types (values never compared), Link and Location in
// the same URL form. Every answer is also validated against GitHub's OpenAPI response
// schema of its operation, and every recorded GET that answered 200 is asked again with
// `If-None-Match`: a 304 with no body that costs no rate limit, as GitHub documents.
//
// NOT covered here:
// - Operations without a recording: issue comments, reactions, pull requests, review
//   comments, Git Data blobs/trees/commits, contents' JSON file form, compare, commits,
//   apps and installations. GitHub's schemas judge them in
//   test/sim/github/fake-github-schemas.test.ts, and fake-github-fidelity.test.ts checks
//   their headers; no recorded answer does.
// - Scenarios of features the fake does not model: statuses, branch protection (only its
//   404 is replayed), archives, releases, projects, markdown, notifications,
//   collaborator invitations, the contents write API, issue locking, search, renaming
//   (only the read by id is replayed), the API root.
// - Values (ids, dates, counts, node ids), header values that are per request (date,
//   request id, rate limit numbers), `x-oauth-scopes` (classic OAuth tokens only), and
//   keys GitHub added after the recordings (2017-2022) beyond what its schemas require.
// - GraphQL, git over HTTP, webhooks (their payload schemas are checked elsewhere).

/** Scenarios that matter to Ship, and which of their exchanges the fake can replay. */
const SCENARIOS: Array<{ name: string; exchanges?: number[] }> = [
  { name: "add-labels-to-issue" },
  { name: "errors" },
  { name: "get-content" },
  { name: "get-repository" },
  { name: "git-refs" },
  { name: "labels" },
  { name: "paginate-issues" },
  // The rest of these change settings the fake does not model.
  { name: "branch-protection", exchanges: [0] },
  { name: "rename-repository", exchanges: [2] },
];

/** Headers whose presence must match the recording's. */
const PRESENT = [
  "content-type",
  "cache-control",
  "etag",
  "last-modified",
  "location",
  "link",
  "x-github-media-type",
  "x-github-request-id",
  "x-ratelimit-limit",
  "x-ratelimit-remaining",
  "x-ratelimit-reset",
  "x-ratelimit-resource",
  "x-ratelimit-used",
  "access-control-allow-origin",
  "access-control-expose-headers",
  "content-security-policy",
  "referrer-policy",
  "strict-transport-security",
  "x-content-type-options",
  "x-frame-options",
  "x-xss-protection",
];
/** Headers whose value is part of the contract, not of the moment. */
const SAME_VALUE = [
  "content-type",
  "cache-control",
  "x-github-media-type",
  "x-ratelimit-resource",
  "access-control-allow-origin",
  "access-control-expose-headers",
  "content-security-policy",
  "x-content-type-options",
  "x-frame-options",
];

const ORG = "octokit-fixture-org";
const USER = "octokit-fixture-user-a";
const RECORDED_API = "https://api.github.com";
/** Octokit's normalized repository id in recorded paths and links. */
const RECORDED_REPOSITORY_ID = 1000;

interface Case {
  id: string;
  scenario: string;
  exchange: RecordedExchange;
  conditional: boolean;
}

const cases: Case[] = SCENARIOS.flatMap(({ name, exchanges }) => {
  const recorded = loadRecordedScenario(name);
  return (exchanges ?? recorded.map((_, index) => index)).flatMap((index) => {
    const exchange = recorded[index] as RecordedExchange;
    const id = `${name} #${index}: ${exchange.method.toUpperCase()} ${exchange.path} -> ${exchange.status}`;
    const replay = { id, scenario: name, exchange, conditional: false };
    if (exchange.method !== "get" || exchange.status !== 200) return [replay];
    return [replay, { ...replay, id: `${id}, again with If-None-Match -> 304`, conditional: true }];
  });
});

describe(`fake GitHub replays api.github.com's recorded exchanges by shape (${cases.length} cases)`, () => {
  let gh: FakeGitHub;
  let token: string;
  let validator: OpenApiValidator;
  let extract: OpenApiExtract;
  /** Recorded sha -> the fake's, per scenario. */
  const shas = new Map<string, Map<string, string>>();
  /** The last answer to each exchange, for its conditional repeat. */
  const answers = new Map<RecordedExchange, Answer>();

  beforeAll(async () => {
    extract = JSON.parse(
      await readFile(path.resolve("src/sim/github/openapi-examples/api.github.com.json"), "utf8"),
    ) as OpenApiExtract;
    validator = createOpenApiValidator(extract);
    gh = await startFakeGitHub({ log: testLogger() });
    gh.createUser({ login: USER });
    gh.createOrganization({ login: ORG });
    token = gh.createPersonalToken(USER);
    for (const { name } of SCENARIOS) {
      const repo = repositoryOf(name);
      if (gh.state.repositoryByName(ORG, repo)) continue;
      await gh.createRepository({
        owner: ORG,
        name: repo,
        private: false,
        files: { "README.md": `# ${repo}` },
      });
      gh.addCollaborator(`${ORG}/${repo}`, USER, "admin");
    }
    // git-refs: `main` at the recording's 0…1 and its parent 0…2, as Octokit made them.
    const parent = (await call("GET", `/repos/${ORG}/git-refs/git/ref/heads/main`)).json as {
      object: { sha: string };
    };
    const commit = (await call("GET", `/repos/${ORG}/git-refs/git/commits/${parent.object.sha}`))
      .json as { tree: { sha: string } };
    const child = (
      await call("POST", `/repos/${ORG}/git-refs/git/commits`, {
        message: "2nd commit",
        tree: commit.tree.sha,
        parents: [parent.object.sha],
      })
    ).json as { sha: string };
    await call("PATCH", `/repos/${ORG}/git-refs/git/refs/heads/main`, { sha: child.sha });
    shas.set(
      "git-refs",
      new Map([
        [recordedSha(1), child.sha],
        [recordedSha(2), parent.object.sha],
      ]),
    );
    // paginate-issues: as many issues as the recording paged through.
    const pages = loadRecordedScenario("paginate-issues");
    const total = pages.reduce((sum, page) => sum + (page.response as unknown[]).length, 0);
    for (let number = 1; number <= total; number++) {
      gh.createIssue({
        repository: `${ORG}/paginate-issues`,
        author: USER,
        title: `Issue ${number}`,
      });
    }
  });
  afterAll(async () => {
    await gh?.stop();
  });

  interface Answer {
    status: number;
    headers: Headers;
    text: string;
    json: unknown;
  }

  async function call(
    method: string,
    apiPath: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    const response = await fetch(`${gh.apiUrl}${apiPath}`, {
      method,
      headers: {
        authorization: `token ${token}`,
        accept: "application/vnd.github.v3+json",
        ...(body === undefined ? {} : { "content-type": "application/json; charset=utf-8" }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const json = response.headers.get("content-type")?.startsWith("application/json")
      ? (JSON.parse(text) as unknown)
      : text;
    return { status: response.status, headers: response.headers, text, json };
  }

  function repositoryIdOf(scenario: string): number {
    const repository = gh.state.repositoryByName(ORG, repositoryOf(scenario));
    if (!repository) throw new Error(`no repository for ${scenario}`);
    return repository.id;
  }

  /** A recorded path or body in the fake's ids and shas. */
  function toFake(scenario: string, text: string): string {
    let out = text.replaceAll(
      `/repositories/${RECORDED_REPOSITORY_ID}`,
      `/repositories/${repositoryIdOf(scenario)}`,
    );
    for (const [recorded, real] of shas.get(scenario) ?? []) out = out.replaceAll(recorded, real);
    return out;
  }

  /** A fake URL (Link, Location) in the recording's terms, to compare forms. */
  function toRecorded(scenario: string, url: string): string {
    let out = url
      .replaceAll(gh.apiUrl, RECORDED_API)
      .replaceAll(
        `/repositories/${repositoryIdOf(scenario)}`,
        `/repositories/${RECORDED_REPOSITORY_ID}`,
      );
    for (const [recorded, real] of shas.get(scenario) ?? []) out = out.replaceAll(real, recorded);
    return out;
  }

  it.each(cases.map((entry) => [entry.id, entry] as const))("%s", async (_, entry) => {
    const { exchange, scenario } = entry;
    const recordedHeaders = exchange.headers;
    const apiPath = toFake(scenario, exchange.path);
    const accept = String(exchange.reqheaders.accept ?? "application/vnd.github.v3+json");

    if (entry.conditional) {
      const before = answers.get(exchange);
      const etag = before?.headers.get("etag");
      if (!before || !etag) throw new Error("the exchange itself gave no etag");
      const again = await call("GET", apiPath, undefined, { accept, "if-none-match": etag });
      expect({
        status: again.status,
        body: again.text,
        etag: again.headers.get("etag"),
        remaining: again.headers.get("x-ratelimit-remaining"),
      }).toEqual({
        status: 304,
        body: "",
        etag,
        remaining: before.headers.get("x-ratelimit-remaining"),
      });
      return;
    }

    const body =
      exchange.body === ""
        ? undefined
        : JSON.parse(toFake(scenario, JSON.stringify(exchange.body)));
    const answer = await call(exchange.method.toUpperCase(), apiPath, body, { accept });
    answers.set(exchange, answer);
    const problems: string[] = [];
    if (answer.status !== exchange.status) {
      problems.push(`status ${answer.status}: ${answer.text.slice(0, 200)}`);
    }
    for (const name of PRESENT) {
      const recorded = recordedHeaders[name];
      const actual = answer.headers.get(name);
      if ((recorded === undefined) !== (actual === null)) {
        problems.push(`header ${name}: ${actual ?? "absent"}, recorded ${recorded ?? "absent"}`);
      } else if (
        SAME_VALUE.includes(name) &&
        recorded !== undefined &&
        String(recorded) !== actual
      ) {
        problems.push(`header ${name}: ${actual}, recorded ${recorded}`);
      }
    }
    for (const name of ["link", "location"]) {
      const actual = answer.headers.get(name);
      const recorded = recordedHeaders[name];
      if (actual && recorded && toRecorded(scenario, actual) !== String(recorded)) {
        problems.push(`header ${name}: ${actual}, recorded ${recorded}`);
      }
    }
    problems.push(...shapeDifferences(exchange.response, answer.json));

    // The root listing is the same operation as a path (`contents/{path}` with none).
    const operationPath = apiPath
      .replace(/^\/repositories\/\d+/, `/repos/${ORG}/${repositoryOf(scenario)}`)
      .replace(/\/contents\/?$/, "/contents/.");
    const operationId = validator.operationForPath(exchange.method, operationPath);
    const documented =
      operationId && extract.operations[operationId]?.responses[String(answer.status)];
    if (operationId && documented && typeof answer.json !== "string") {
      const errors = validator.validateResponse(operationId, answer.status, answer.json);
      problems.push(...errors.slice(0, 5).map((error) => `${operationId} schema: ${error}`));
    }
    expect(problems).toEqual([]);
  });
});

/** Octokit numbers the shas it saw: `0…01`, `0…02`. */
function recordedSha(number: number): string {
  return String(number).padStart(40, "0");
}

/** Octokit's scenarios use a repository named after them, except these two. */
function repositoryOf(scenario: string): string {
  return scenario === "get-content" || scenario === "get-repository" ? "hello-world" : scenario;
}
