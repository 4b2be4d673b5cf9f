import { mkdtempSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { jest } from "@jest/globals";
import { type Config, readConfig } from "../../src/config/read-config.js";
import { findFreePort } from "../../src/net/find-free-port.js";
import { getRun } from "../../src/runs/get-run.js";
import type { Run } from "../../src/runs/run.js";
import { connectShipToWorld } from "../../src/sim/connect-ship-to-world.js";
import type { FaultInjector } from "../../src/sim/github/http/fault-injector.js";
import { type LocalWorld, startLocalWorld } from "../../src/sim/start-local-world.js";
import { startShip } from "../../src/start-ship.js";
import { awaitRun } from "../helpers/await-run.js";
import { createTestDatabase } from "../helpers/create-test-database.js";
import type { TestShip } from "../helpers/start-test-ship.js";
import { testLogger } from "../helpers/test-logger.js";
import { waitFor } from "../helpers/wait-for.js";

jest.retryTimes(1, { logErrorsBeforeRetry: true });

/** A request as the fake GitHub received it. */
interface Arrival {
  method: string;
  path: string;
  /** Date.now() when it arrived. */
  at: number;
}

/**
 * A fault rule's path pattern that never matches and notes every request it is tested
 * against: put first, it is the fake's own log of when each request arrived.
 */
class ArrivalRecorder extends RegExp {
  constructor(
    private readonly method: string,
    private readonly into: Arrival[],
  ) {
    super("(?!)");
  }

  override test(path: string): boolean {
    this.into.push({ method: this.method, path, at: Date.now() });
    return false;
  }
}

function recordArrivals(faults: FaultInjector): Arrival[] {
  const arrivals: Arrival[] = [];
  for (const method of ["GET", "POST", "PATCH", "PUT", "DELETE"]) {
    faults.add({
      method,
      path: new ArrivalRecorder(method, arrivals),
      effect: { type: "latency", ms: 0 },
    });
  }
  return arrivals;
}

/**
 * What sits between Ship and the fake GitHub: passes everything through, except that it
 * can lose the answer to one request after GitHub applied it (a gateway's 502).
 */
interface LossyGateway {
  host: string;
  /** The next `method` request whose path matches reaches GitHub; Ship gets a 502. */
  loseNextAnswer(method: string, path: RegExp): void;
  /** Answers lost so far: what GitHub had said. */
  lost: Array<{ method: string; path: string; status: number }>;
  stop(): Promise<void>;
}

async function startLossyGateway(target: string): Promise<LossyGateway> {
  const upstream = new URL(target);
  const losing: Array<{ method: string; path: RegExp }> = [];
  const lost: LossyGateway["lost"] = [];
  const server = http.createServer((req, res) => {
    const method = req.method ?? "GET";
    const pathname = new URL(req.url ?? "/", target).pathname;
    const forward = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        const lose = losing.findIndex((l) => l.method === method && l.path.test(pathname));
        if (lose >= 0) {
          losing.splice(lose, 1);
          answer.resume();
          answer.on("end", () => {
            lost.push({ method, path: pathname, status: answer.statusCode ?? 0 });
            res.writeHead(502, { "content-type": "text/html" });
            res.end("<html><body><h1>502 Bad Gateway</h1></body></html>");
          });
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on("error", () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    loseNextAnswer(method, path) {
      losing.push({ method, path });
    },
    lost,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * GitHub says "wait" (429, 403 with `retry-after`, an exhausted primary limit) or loses
 * an answer (502), in the middle of a run, end to end through the real Ship: Ship asks
 * no earlier than GitHub said, the run still succeeds in its first attempt, and a lost
 * answer to the creation of the status comment or the pull request never makes a second.
 */
describe("GitHub rate limits and lost answers", () => {
  let t: TestShip;
  let gateway: LossyGateway;
  let arrivals: Arrival[];
  let repository: string;
  const figures: string[] = [];

  beforeAll(async () => {
    const db = await createTestDatabase();
    const world = await startLocalWorld({
      dataDir: mkdtempSync(path.join(tmpdir(), "ship-rate-limits-")),
      webhookUrl: "http://127.0.0.1:9/not-yet",
      log: testLogger(),
    });
    gateway = await startLossyGateway(world.github.url);
    arrivals = recordArrivals(world.github.faults);
    repository = world.sample.repository;
    const ship = await startShipAt(world, db.url, "off");
    t = {
      world,
      db,
      ...ship,
      async stop() {
        await t.ship.stop();
        await gateway.stop();
        await world.stop();
        await db.drop();
      },
    };
  });

  /** Ship on this world, reaching GitHub (API and git) through the gateway. */
  async function startShipAt(world: LocalWorld, databaseUrl: string, throttle: "on" | "off") {
    const port = await findFreePort();
    const config = readConfig(
      {
        ...world.shipEnv,
        GHE_HOST: gateway.host,
        SHIP_GITHUB_THROTTLE: throttle,
        SHIP_RUN_TIMEOUT: "45s",
        DATABASE_URL: databaseUrl,
        HOST: "127.0.0.1",
        PORT: String(port),
        SHIP_PUBLIC_URL: `http://127.0.0.1:${port}`,
      },
      tmpdir(),
    );
    const ship = await startShip({
      config,
      app: config.app as NonNullable<Config["app"]>,
      log: testLogger(),
    });
    await connectShipToWorld(world, config.publicUrl);
    return { ship, config };
  }

  afterAll(async () => {
    process.stdout.write(`rate limits: ${figures.join("; ")}\n`);
    await t?.stop();
  });

  /** A fresh issue; `before` may add faults once its number is known, then someone asks. */
  function ask(before: (issueNumber: number) => void = () => {}) {
    const author = t.world.sample.writer.login;
    const issue = t.world.github.createIssue({
      repository,
      author,
      title: "Add a README",
      body: "Please.",
    });
    before(issue.number);
    const comment = t.world.github.createIssueComment({
      repository,
      issueNumber: issue.number,
      author,
      body: "/ship add a README",
    });
    return { issue, comment };
  }

  function statusComments(issueNumber: number, runId: number) {
    return t.world.github
      .issueComments(repository, issueNumber)
      .filter((c) => c.body.includes(`<!-- ship:run:${runId} -->`));
  }

  /** Arrivals of `method` requests whose path matches, from `since` on. */
  function arrivalsOf(method: string, pathPattern: RegExp, since: number) {
    return arrivals.filter((a) => a.method === method && pathPattern.test(a.path) && a.at >= since);
  }

  function expectSucceededFirstTime(run: Run) {
    expect(run).toMatchObject({ state: "succeeded", attempts: 1, errorCategory: null });
    expect(run.prNumber).not.toBeNull();
  }

  it("waits out a 429 with retry-after on the status comment's creation", async () => {
    const since = Date.now();
    let comments = /$^/;
    const { issue, comment } = ask((number) => {
      comments = new RegExp(`/repos/${repository}/issues/${number}/comments$`);
      t.world.github.faults.add({
        method: "POST",
        path: comments,
        effect: { type: "secondary-rate-limit", status: 429, retryAfterSeconds: 2 },
        times: 1,
      });
    });
    const run = await awaitRun(t, comment.id);
    const posts = arrivalsOf("POST", comments, since);
    expect(posts).toHaveLength(2);
    const waited = (posts[1]?.at ?? 0) - (posts[0]?.at ?? 0);
    figures.push(`429 retry-after 2 s: asked again after ${(waited / 1000).toFixed(2)} s`);
    expect(waited).toBeGreaterThanOrEqual(2_000);
    expect(waited).toBeLessThan(4_000);
    expectSucceededFirstTime(run);
    expect(statusComments(issue.number, run.id)).toHaveLength(1);
  });

  it("waits out a 403 secondary rate limit with retry-after on opening the pull request", async () => {
    const since = Date.now();
    const pulls = new RegExp(`/repos/${repository}/pulls$`);
    const fault = t.world.github.faults.add({
      method: "POST",
      path: pulls,
      effect: { type: "secondary-rate-limit", status: 403, retryAfterSeconds: 2 },
      times: 1,
    });
    const { issue, comment } = ask();
    const run = await awaitRun(t, comment.id);
    expect(fault.hits).toBe(1);
    const posts = arrivalsOf("POST", pulls, since);
    expect(posts).toHaveLength(2);
    const waited = (posts[1]?.at ?? 0) - (posts[0]?.at ?? 0);
    figures.push(
      `403 secondary retry-after 2 s: asked again after ${(waited / 1000).toFixed(2)} s`,
    );
    expect(waited).toBeGreaterThanOrEqual(2_000);
    expect(waited).toBeLessThan(4_000);
    expectSucceededFirstTime(run);
    expect(statusComments(issue.number, run.id)).toHaveLength(1);
  });

  it("waits out an exhausted primary rate limit until its reset, when that is near", async () => {
    const since = Date.now();
    const commits = new RegExp(`/repos/${repository}/git/commits$`);
    // As on GitHub, the limit holds until its reset: every request before then gets 403.
    const fault = t.world.github.faults.add({
      method: "POST",
      path: commits,
      effect: { type: "primary-rate-limit", resetInSeconds: 2 },
    });
    const { comment } = ask();
    const limited = await waitFor("the limit to be hit", () =>
      fault.hits > 0 ? arrivalsOf("POST", commits, since)[0]?.at : undefined,
    );
    // The fake said: `x-ratelimit-reset` two whole seconds on.
    const reset = (Math.floor(limited / 1000) + 2) * 1000;
    await new Promise((resolve) => setTimeout(resolve, reset - Date.now()));
    fault.remove();
    const run = await awaitRun(t, comment.id);
    const posts = arrivalsOf("POST", commits, since);
    expect(fault.hits).toBe(1);
    expect(posts.filter((a) => a.at < reset)).toHaveLength(1);
    const next = posts[1]?.at ?? 0;
    figures.push(
      `primary limit, reset ${((reset - limited) / 1000).toFixed(2)} s away: asked again after ${((next - limited) / 1000).toFixed(2)} s`,
    );
    expect(next).toBeGreaterThanOrEqual(reset);
    expectSucceededFirstTime(run);
  });

  it("makes one status comment and one pull request when GitHub made them but the answer was lost (502)", async () => {
    let comments = /$^/;
    const pulls = new RegExp(`/repos/${repository}/pulls$`);
    const lostBefore = gateway.lost.length;
    const { issue, comment } = ask((number) => {
      comments = new RegExp(`/repos/${repository}/issues/${number}/comments$`);
      gateway.loseNextAnswer("POST", comments);
      gateway.loseNextAnswer("POST", pulls);
    });
    const run = await awaitRun(t, comment.id);
    // GitHub made both (201); Ship was told 502.
    expect(gateway.lost.slice(lostBefore)).toEqual([
      { method: "POST", path: expect.stringMatching(comments), status: 201 },
      { method: "POST", path: expect.stringMatching(pulls), status: 201 },
    ]);
    expectSucceededFirstTime(run);
    const mine = statusComments(issue.number, run.id);
    const prs = (await t.world.github.pullRequests(repository)).filter(
      (p) => p.head.ref === run.branch,
    );
    figures.push(
      `502 after creating: ${mine.length} status comment(s), ${prs.length} pull request(s)`,
    );
    expect(mine).toHaveLength(1);
    expect((await getRun(t.db.pool, run.id))?.statusCommentId).toBe(mine[0]?.id);
    expect(mine[0]?.body).toContain("✅");
    expect(prs.map((p) => p.number)).toEqual([run.prNumber]);
  });

  it("with throttling on (GitHub's pacing), waits out a 403 secondary rate limit too", async () => {
    // The same world and database; Ship restarted as it runs against github.com.
    await t.ship.stop();
    Object.assign(t, await startShipAt(t.world, t.db.url, "on"));
    const since = Date.now();
    const reader = t.world.sample.reader.login;
    const issue = t.world.github.createIssue({
      repository,
      author: reader,
      title: "Docs",
      body: "",
    });
    const comments = new RegExp(`/repos/${repository}/issues/${issue.number}/comments$`);
    const fault = t.world.github.faults.add({
      method: "POST",
      path: comments,
      effect: { type: "secondary-rate-limit", status: 403, retryAfterSeconds: 2 },
      times: 1,
    });
    // A reader asks: Ship's only write is its reply, from the `reply` job.
    t.world.github.createIssueComment({
      repository,
      issueNumber: issue.number,
      author: reader,
      body: "/ship add a README",
    });
    await waitFor("Ship's reply", () =>
      t.world.github
        .issueComments(repository, issue.number)
        .some((c) => c.author !== reader && c.body.includes("write access")),
    );
    expect(fault.hits).toBe(1);
    const posts = arrivalsOf("POST", comments, since);
    expect(posts).toHaveLength(2);
    const waited = (posts[1]?.at ?? 0) - (posts[0]?.at ?? 0);
    figures.push(
      `throttle on, 403 secondary retry-after 2 s: asked again after ${(waited / 1000).toFixed(2)} s`,
    );
    expect(waited).toBeGreaterThanOrEqual(2_000);
    expect(waited).toBeLessThan(5_000);
    // Waited out inside the request, not failed and left to the queue's retry.
    // (The queue marks the job done a moment after its reply is posted.)
    const jobs = await waitFor("the reply job to complete", async () => {
      const { rows } = await t.db.pool.query(
        `SELECT state, retry_count AS "retryCount" FROM pgboss.job
          WHERE name = 'reply' AND (data->>'issueNumber')::int = $1`,
        [issue.number],
      );
      return rows.every((row) => row.state !== "active" && row.state !== "created")
        ? rows
        : undefined;
    });
    expect(jobs).toEqual([{ state: "completed", retryCount: 0 }]);
    expect(
      t.world.github.issueComments(repository, issue.number).filter((c) => c.author !== reader),
    ).toHaveLength(1);
  });
});
