import { describe, expect, it } from "@jest/globals";
import type { Run } from "../../src/runs/run.js";
import type { RunEvent } from "../../src/runs/run-event.js";
import { renderRunPage } from "../../src/web/render-run-page.js";

const t0 = new Date("2024-05-06T10:00:00.000Z");
const run = {
  id: 4,
  repository: "octo/hello",
  threadNumber: 2,
  request: {
    task: "add a README",
    options: {},
    thread: { title: "", body: "", isPullRequest: false },
  },
  state: "running",
  phase: "agent",
  createdAt: t0,
  startedAt: new Date(t0.getTime() + 2_000),
} as unknown as Run;
const event = (id: number, kind: string, data: Record<string, unknown> = {}): RunEvent => ({
  id,
  at: new Date(t0.getTime() + id * 1000),
  kind,
  data,
});
const page = (events: RunEvent[], live = true) =>
  renderRunPage({ run, summary: "", events, githubUrl: "https://github.example", live });

describe("renderRunPage", () => {
  it("leaves the phases to the Timeline: the Log shows what the agent did", () => {
    const { body } = page([
      event(1, "run.started", { attempt: 1 }),
      event(2, "phase", { phase: "clone" }),
      event(3, "agent.message", { text: "Hello" }),
    ]);
    expect(body).not.toContain("Run started");
    expect(body).not.toContain("Cloning the repository");
    expect(body).toContain('<div class="message">Hello</div>');
    // The live log resumes after the newest event, phases included.
    expect(body).toContain('data-last="3"');
  });

  it("says the agent is starting, with a counter, until its first event", () => {
    const waiting = page([event(1, "run.started"), event(2, "phase", { phase: "agent" })]);
    expect(waiting.body).toContain(
      '<li class="starting" id="starting" data-since="2024-05-06T10:00:02.000Z">Starting the agent… <span class="seconds"></span></li>',
    );
    expect(waiting.script).toContain("setInterval(tick,1000)");
    expect(waiting.script).toContain('getElementById("starting")?.remove()');
    expect(page([event(1, "agent.message", { text: "Hi" })]).body).not.toContain(
      "Starting the agent",
    );
    // An ended run's page has no counter and no live stream, but still shows local times.
    const ended = page([event(1, "run.started")], false);
    expect(ended.body).not.toContain("Starting the agent");
    expect(ended.script).not.toContain("EventSource");
    expect(ended.script).toContain("your time");
  });
});
