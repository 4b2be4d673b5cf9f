import { jest } from "@jest/globals";
import { askShip } from "../helpers/ask-ship.js";
import { awaitRun } from "../helpers/await-run.js";
import { startTestShip, type TestShip } from "../helpers/start-test-ship.js";
import { waitFor } from "../helpers/wait-for.js";

jest.retryTimes(1, { logErrorsBeforeRetry: true });

/** One series' value in Prometheus's text format (0 when absent). */
function sample(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

/** What an operator scrapes and probes: `/healthz`, `/readyz`, `/metrics`. */
describe("operations endpoints", () => {
  let t: TestShip;
  const metrics = async () => (await fetch(`${t.config.publicUrl}/metrics`)).text();

  beforeAll(async () => {
    t = await startTestShip();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("answers health and readiness", async () => {
    const health = await fetch(`${t.config.publicUrl}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${t.config.publicUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.text()).toBe("ready\n");
  });

  it("exposes webhooks, runs, durations, queue depth and live sandboxes, and they move with a run", async () => {
    const before = await metrics();
    for (const name of [
      "ship_webhooks_total",
      "ship_runs_total",
      "ship_run_duration_seconds",
      "ship_phase_duration_seconds",
      "ship_run_step_seconds",
      "ship_queue_depth",
      "ship_live_sandboxes",
      "ship_active_runs",
    ]) {
      expect(before).toContain(`# TYPE ${name} `);
    }

    // A stalled run holds its sandbox: the gauge shows it while it lasts.
    const stalled = askShip(t, "/ship --model sim/stall add a README");
    await waitFor("the live sandbox to show", async () =>
      sample(await metrics(), "ship_live_sandboxes") >= 1 ? true : undefined,
    );
    expect(sample(await metrics(), 'ship_active_runs{state="running"}')).toBeGreaterThanOrEqual(1);
    t.world.github.createIssueComment({
      repository: t.world.sample.repository,
      issueNumber: stalled.issue.number,
      author: t.world.sample.writer.login,
      body: "/ship cancel",
    });

    const { comment } = askShip(t, "/ship add a README");
    await awaitRun(t, comment.id);
    const after = await waitFor("the finished run to be counted", async () => {
      const text = await metrics();
      return sample(text, 'ship_runs_total{outcome="succeeded"}') >= 1 &&
        sample(text, 'ship_runs_total{outcome="cancelled"}') >= 1
        ? text
        : undefined;
    });
    const runWebhooks = 'ship_webhooks_total{event="issue_comment.created",outcome="run"}';
    expect(sample(after, runWebhooks) - sample(before, runWebhooks)).toBe(2);
    // "/ship cancel" is recorded too, as a command that started no run.
    expect(
      sample(after, 'ship_webhooks_total{event="issue_comment.created",outcome="recorded"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'ship_run_duration_seconds_count{outcome="succeeded"}')).toBe(1);
    for (const phase of ["sandbox", "clone", "branch", "agent", "push", "pull_request"]) {
      expect(
        sample(after, `ship_phase_duration_seconds_count{phase="${phase}"}`),
      ).toBeGreaterThanOrEqual(1);
    }
    // Where a run's time went, step by step; only the finished run reached its end.
    for (const step of [
      "prepare",
      "sandbox_create",
      "clone",
      "opencode_start",
      "agent",
      "commit",
      "push",
      "pull_request",
    ]) {
      expect(sample(after, `ship_run_step_seconds_count{step="${step}"}`)).toBeGreaterThanOrEqual(
        1,
      );
    }
    expect(sample(after, 'ship_run_step_seconds_count{step="finish"}')).toBe(1);
    expect(sample(after, 'ship_run_step_seconds_sum{step="agent"}')).toBeGreaterThan(0);
    await waitFor("the sandboxes to be released", async () =>
      sample(await metrics(), "ship_live_sandboxes") === 0 ? true : undefined,
    );
  });

  it("counts Ship's own status-comment edits, which GitHub sends back, as own, not unhandled", async () => {
    // The runs above edited their status comments many times; each edit came back as
    // `issue_comment.edited`. Counted as unhandled, they would look like lost deliveries.
    const own = 'ship_webhooks_total{event="issue_comment.edited",outcome="own"}';
    const text = await waitFor(
      "Ship's own comment edits to be counted",
      async () => {
        const current = await metrics();
        return sample(current, own) >= 2 ? current : undefined;
      },
      30_000,
    );
    expect(sample(text, own)).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'ship_webhooks_total{event="issue_comment",outcome="unhandled"}')).toBe(0);
  });

  it("counts a delivery with a bad signature as rejected, without trusting its event header", async () => {
    const before = sample(
      await metrics(),
      'ship_webhooks_total{event="unverified",outcome="rejected"}',
    );
    const response = await fetch(`${t.config.publicUrl}/api/github/webhooks`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "made_up_event",
        "x-github-delivery": "forged-1",
        "x-hub-signature-256": `sha256=${"0".repeat(64)}`,
      },
      body: "{}",
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    const text = await waitFor("the rejection to be counted", async () => {
      const current = await metrics();
      return sample(current, 'ship_webhooks_total{event="unverified",outcome="rejected"}') > before
        ? current
        : undefined;
    });
    expect(text).not.toContain("made_up_event");
  });
});
