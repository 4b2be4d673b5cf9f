import { renderStatusComment } from "../../src/report/render-status-comment.js";
import type { StatusView } from "../../src/report/status-view.js";

function view(overrides: Partial<StatusView>): StatusView {
  return {
    runId: 8,
    state: "running",
    phase: "agent",
    task: "add a README",
    requester: "bob",
    model: "sim/write-readme",
    startedAt: new Date("2026-12-01T10:00:00Z"),
    now: new Date("2026-12-01T10:00:12Z"),
    ...overrides,
  };
}

const retryUrl = "https://ship.example/runs/8/retry?token=abc";

describe("renderStatusComment", () => {
  it("leads a failure with its plain title and the code in small type", () => {
    const body = renderStatusComment(
      view({
        state: "failed",
        finishedAt: new Date("2026-12-01T10:00:05Z"),
        error: { category: "provider_unavailable", message: "The model server failed" },
        retryUrl,
      }),
    );
    expect(body).toContain(
      "❌ **The model provider is unavailable** <sub>`provider_unavailable` · see docs/troubleshooting.md in Ship's repository</sub>",
    );
    expect(body).toContain(
      "**What to do:** The model provider may be busy or down: wait a few minutes.",
    );
    expect(body).not.toContain("to try again. in");
    // The retry is said once.
    expect(body.match(/\/ship retry/g)).toHaveLength(1);
    expect(body).toContain(`To try again, comment \`/ship retry\` or [retry here](${retryUrl}).`);
    expect(body).toContain("- [ ] Run the agent (failed here)");
  });

  it("offers no retry when a retry can only fail the same way", () => {
    const body = renderStatusComment(
      view({
        state: "failed",
        error: {
          category: "branch",
          message: "The branch `main` already exists.",
          whatToDo: "Name another branch with `--branch`, or leave it out and Ship picks one.",
        },
        retryUrl,
      }),
    );
    expect(body).toContain("❌ **Ship could not create the branch**");
    expect(body).not.toContain("/ship retry");
    expect(body).not.toContain("retry here");
  });

  it("adds only the link when the advice already says `/ship retry`", () => {
    const body = renderStatusComment(
      view({
        state: "failed",
        error: {
          category: "authorization",
          message: "@bob has not authorized Ship yet.",
          whatToDo:
            "[Authorize Ship](https://ship.example/auth/sign-in) as @bob, then comment `/ship retry`.",
        },
        retryUrl,
      }),
    );
    expect(body.match(/`\/ship retry`/g)).toHaveLength(1);
    expect(body).toContain(`Or [retry here](${retryUrl}).`);
  });

  it("says who cancelled, keeps the checklist and offers a retry", () => {
    const body = renderStatusComment(
      view({
        state: "cancelled",
        phase: "agent",
        cancelledBy: "bob",
        finishedAt: new Date("2026-12-01T10:00:03Z"),
        retryUrl,
      }),
    );
    expect(body).toContain("🛑 **Ship** run cancelled by @bob.");
    expect(body).toContain("- [x] Clone the repository");
    expect(body).toContain("- [ ] Run the agent (cancelled here)");
    expect(body).toContain("- [ ] ~~Push the commits~~");
    expect(body).toContain(`To try again, comment \`/ship retry\` or [retry here](${retryUrl}).`);
    expect(body).toContain("took 3s");
  });

  it("shows the time running, a token total and '1 file changed'", () => {
    expect(renderStatusComment(view({}))).toContain("running for 12s");
    // Past the first minute, whole minutes: the comment changes once a minute, not every tick.
    const later = renderStatusComment(view({ now: new Date("2026-12-01T10:03:07Z") }));
    expect(later).toContain("running for 3m ·");
    expect(renderStatusComment(view({ now: new Date("2026-12-01T10:03:50Z") }))).toBe(later);
    const done = renderStatusComment(
      view({
        state: "succeeded",
        finishedAt: new Date("2026-12-01T10:01:05Z"),
        result: {
          commits: [{ sha: "abc", message: "Add README" }],
          filesChanged: ["README.md"],
          pullRequest: { number: 2, url: "https://github.com/acme/widgets/pull/2" },
          summary: "Added a README.",
          usage: { input: 5_400, cacheRead: 3_500, output: 162, cost: 0 },
        },
      }),
    );
    expect(done).toContain("<summary>1 file changed</summary>");
    expect(done).not.toContain("file(s)");
    expect(done).toContain("took 1m 05s");
    expect(done).toContain(
      "8,900 tokens in (3,500 from cache), 162 out, no cost counted (see the run log)",
    );
    const two = renderStatusComment(
      view({ state: "succeeded", result: { commits: [], filesChanged: ["a", "b"] } }),
    );
    expect(two).toContain("<summary>2 files changed</summary>");
  });

  it("shows the agent's answer in full when nothing changed, folded otherwise", () => {
    const answer = "The repository already does what was asked; I changed nothing.";
    const none = renderStatusComment(
      view({ state: "succeeded", result: { commits: [], filesChanged: [], answer } }),
    );
    expect(none).toContain("✅ **Ship** finished; the agent changed no files.");
    expect(none).toContain(`The agent's answer:\n\n${answer}`);
    expect(none).not.toContain("<details><summary>Agent's summary");
    const pushed = renderStatusComment(
      view({
        state: "succeeded",
        result: {
          commits: [{ sha: "abc", message: "Add README" }],
          filesChanged: ["README.md"],
          pullRequest: { number: 2, url: "https://github.com/acme/widgets/pull/2" },
          summary: "Added a README.",
          answer: "Added a README.",
        },
      }),
    );
    expect(pushed).toContain(
      "<details><summary>Agent's summary</summary>\n\nAdded a README.\n\n</details>",
    );
  });

  it("shows the agent's plan while it works and at the end, ticked", () => {
    const todos = [
      { content: "Write the README", status: "completed" },
      { content: "Start a changelog", status: "in_progress" },
    ];
    const running = renderStatusComment(view({ todos }));
    expect(running).toContain(
      "**Agent's plan**\n\n- [x] Write the README\n- [ ] **Start a changelog**",
    );
    const done = renderStatusComment(
      view({
        state: "succeeded",
        todos: todos.map((todo) => ({ ...todo, status: "completed" })),
        result: { commits: [], filesChanged: [] },
      }),
    );
    expect(done).toContain(
      "<details><summary>Agent's plan</summary>\n\n- [x] Write the README\n- [x] Start a changelog",
    );
  });

  it("shows what the agent does only under its own step", () => {
    const activity = "Writing `README.md`";
    expect(renderStatusComment(view({ activity }))).toContain(`Now: ${activity}`);
    expect(renderStatusComment(view({ phase: "push", activity }))).not.toContain("Now:");
  });

  it("gives a follow-up its own checklist and links a review line's thread", () => {
    const body = renderStatusComment(
      view({
        phase: "push",
        followUp: { number: 12, branch: "ship/add-a-changelog-11" },
        reviewLine: {
          path: "src/a.ts",
          line: 3,
          url: "https://github.com/acme/widgets/pull/12#discussion_r77",
        },
      }),
    );
    expect(body).toContain(
      [
        "- [x] Start a sandbox",
        "- [x] Check out `ship/add-a-changelog-11`",
        "- [x] Run the agent",
        "- [ ] **Push to #12**",
      ].join("\n"),
    );
    expect(body).not.toContain("Create a branch");
    expect(body).not.toContain("Open a draft pull request");
    expect(body).toContain(
      "Asked on a review line: `src/a.ts` line 3 ([thread](https://github.com/acme/widgets/pull/12#discussion_r77)).",
    );
  });

  it("says which run it retries, the repository's notices, and why it acts as the installer", () => {
    const body = renderStatusComment(
      view({
        retryOf: { runId: 7, url: "https://ship.example/runs/7" },
        notices: ["`timeout: 2h` is above Ship's 30m limit; using 30m."],
        actingAs: "alice",
        signInUrl: "https://ship.example/auth/sign-in",
      }),
    );
    expect(body).toContain("Retry of [run 7](https://ship.example/runs/7).");
    expect(body).toContain("**Note:** `timeout: 2h` is above Ship's 30m limit; using 30m.");
    expect(body).toContain(
      "acting as @alice (@bob has not authorized Ship: [authorize](https://ship.example/auth/sign-in) to have pull requests in your name)",
    );
    const own = renderStatusComment(view({ actingAs: "bob" }));
    expect(own).toContain("acting as @bob ·");
    expect(own).not.toContain("has not authorized");
  });
});
