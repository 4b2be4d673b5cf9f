import { jest } from "@jest/globals";
import type pg from "pg";
import type { Logger } from "pino";
import type { GitHubClient } from "../../src/github/github-client.js";
import { createStatusReporter } from "../../src/report/create-status-reporter.js";
import type { StatusView } from "../../src/report/status-view.js";

/** A pool whose run already has status comment 5, and a client that records each edit. */
function fakes() {
  const bodies: string[] = [];
  const client = {
    query: async (text: string) =>
      text.includes("status_comment_id AS id") ? { rows: [{ id: "5" }] } : { rows: [] },
    release: () => {},
  };
  const pool = { connect: async () => client } as unknown as pg.Pool;
  const octokit = {
    rest: {
      issues: {
        updateComment: async ({ body }: { body: string }) => {
          bodies.push(body);
          return { data: {} };
        },
      },
    },
  } as unknown as GitHubClient;
  const log = { warn: () => {} } as unknown as Logger;
  return { bodies, pool, octokit, log };
}

const start = new Date("2026-12-01T10:00:00Z");
const running: StatusView = {
  runId: 8,
  state: "running",
  phase: "agent",
  task: "add a README",
  requester: "bob",
  model: "sim/stall",
  startedAt: start,
  now: start,
};

describe("createStatusReporter", () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: start, doNotFake: ["nextTick", "setImmediate", "queueMicrotask"] });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it("shows the running time moving while the phase stays, and stops once the run ended", async () => {
    const { bodies, pool, octokit, log } = fakes();
    const reporter = createStatusReporter({
      pool,
      octokit,
      runId: 8,
      owner: "acme",
      repo: "widgets",
      issueNumber: 1,
      appId: 1,
      minIntervalMs: 2_000,
      log,
    });
    await reporter.flush(running);
    expect(bodies.at(-1)).toContain("running for 0s");
    // No new view from the pipeline (the agent is thinking), yet the time moves.
    await jest.advanceTimersByTimeAsync(8_000);
    expect(bodies.at(-1)).toMatch(/running for [7-9]s/);
    await jest.advanceTimersByTimeAsync(7_000);
    expect(bodies.at(-1)).toMatch(/running for 1[4-6]s/);

    await reporter.flush({
      ...running,
      state: "succeeded",
      finishedAt: new Date(),
      now: new Date(),
    });
    const edits = bodies.length;
    await jest.advanceTimersByTimeAsync(30_000);
    expect(bodies).toHaveLength(edits);
    expect(bodies.at(-1)).toContain("✅");
  });

  it("stops ticking when closed (this worker leaves the run)", async () => {
    const { bodies, pool, octokit, log } = fakes();
    const reporter = createStatusReporter({
      pool,
      octokit,
      runId: 8,
      owner: "acme",
      repo: "widgets",
      issueNumber: 1,
      appId: 1,
      minIntervalMs: 2_000,
      log,
    });
    await reporter.flush(running);
    reporter.close();
    await jest.advanceTimersByTimeAsync(30_000);
    expect(bodies).toHaveLength(1);
  });
});
