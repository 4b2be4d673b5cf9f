import { describe, expect, it } from "@jest/globals";
import type { Run } from "../../src/runs/run.js";
import type { RunEvent } from "../../src/runs/run-event.js";
import { type RunActions, renderRunSummary } from "../../src/web/render-run-summary.js";

const githubUrl = "https://github.example";
const evil = `<script>alert(1)</script>" onmouseover="x`;
const t0 = new Date("2024-05-06T10:00:00.000Z");
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

function makeRun(overrides: Partial<Run> = {}): Run {
  return {
    id: 17,
    deliveryId: "d-1",
    installationId: 1,
    repositoryId: 2,
    repository: "octo/hello",
    threadNumber: 5,
    trigger: "issue_command",
    requesterLogin: "octocat",
    requesterId: 3,
    request: {
      task: "add a README",
      options: {},
      thread: { title: "Add a README", body: "", isPullRequest: false },
    },
    retryOf: null,
    state: "queued",
    phase: "queued",
    errorCategory: null,
    errorMessage: null,
    attempts: 0,
    statusCommentId: null,
    sandboxId: null,
    branch: null,
    baseSha: null,
    headSha: null,
    prNumber: null,
    actingLogin: null,
    model: null,
    result: null,
    budgetReached: null,
    createdAt: t0,
    startedAt: null,
    finishedAt: null,
    ...overrides,
  };
}

let nextId = 0;
function milestone(seconds: number, kind: string, data: Record<string, unknown> = {}): RunEvent {
  nextId += 1;
  return { id: nextId, at: at(seconds), kind, data };
}

function render(
  run: Run,
  extra: { milestones?: RunEvent[]; todos?: unknown; actions?: RunActions; now?: Date } = {},
): string {
  return renderRunSummary({
    run,
    milestones: extra.milestones ?? [],
    todos: extra.todos,
    actions: extra.actions ?? {},
    githubUrl,
    now: extra.now ?? at(600),
  });
}

/** The timeline's body rows as [name, began, took] cell texts. */
function timelineRows(html: string): string[][] {
  const body = html.match(/<table class="timeline">.*?<tbody>(.*?)<\/tbody>/s)?.[1] ?? "";
  return [...body.matchAll(/<tr>(.*?)<\/tr>/gs)].map((row) =>
    [...(row[1] ?? "").matchAll(/<td>(.*?)<\/td>/gs)].map((cell) =>
      (cell[1] ?? "").replace(/<[^>]+>/g, ""),
    ),
  );
}

describe("renderRunSummary", () => {
  it("says what state the run is in, and for a running run which phase", () => {
    expect(render(makeRun({ state: "queued" }))).toContain(
      '<p class="state queued" role="status">Queued</p>',
    );
    expect(render(makeRun({ state: "running", phase: "clone" }))).toContain(
      '<p class="state running" role="status">Running: Cloning the repository</p>',
    );
    expect(render(makeRun({ state: "running", phase: "agent" }))).toContain(
      "Running: Agent at work",
    );
    expect(render(makeRun({ state: "succeeded", finishedAt: at(60) }))).toContain(
      '<p class="state succeeded" role="status">Done</p>',
    );
    expect(render(makeRun({ state: "failed", finishedAt: at(60) }))).toContain(
      '<p class="state failed" role="status">Failed</p>',
    );
    expect(render(makeRun({ state: "cancelled", finishedAt: at(60) }))).toContain(
      '<p class="state cancelled" role="status">Cancelled</p>',
    );
  });

  it("names a phase it does not know as it is, escaped", () => {
    const html = render(makeRun({ state: "running", phase: evil }));
    expect(html).toContain("Running: &#60;script&#62;");
    expect(html).not.toContain("<script>");
  });

  it("links the pull request and its branch", () => {
    const html = render(
      makeRun({
        state: "succeeded",
        finishedAt: at(60),
        branch: "ship/add-a-readme-5",
        result: {
          commits: [],
          filesChanged: [],
          pullRequest: { number: 12, url: `${githubUrl}/octo/hello/pull/12` },
        },
      }),
    );
    expect(html).toContain(
      `Pull request: <a href="${githubUrl}/octo/hello/pull/12">#12</a> from branch <a href="${githubUrl}/octo/hello/tree/ship/add-a-readme-5"><code>ship/add-a-readme-5</code></a>`,
    );
    expect(html).not.toContain("changed nothing");
  });

  it("links the pull request alone when the run has no branch", () => {
    const html = render(
      makeRun({
        state: "succeeded",
        finishedAt: at(60),
        result: { commits: [], filesChanged: [], pullRequest: { number: 3, url: "https://pr/3" } },
      }),
    );
    expect(html).toContain('Pull request: <a href="https://pr/3">#3</a></p>');
    expect(html).not.toContain("from branch");
  });

  it("says a run that succeeded without a pull request changed nothing", () => {
    const html = render(
      makeRun({
        state: "succeeded",
        finishedAt: at(60),
        result: { commits: [], filesChanged: [] },
      }),
    );
    expect(html).toContain("The agent changed nothing, so there is no pull request.");
    expect(html).not.toContain("Pull request:");
    expect(render(makeRun({ state: "succeeded", finishedAt: at(60) }))).toContain(
      "changed nothing",
    );
    expect(render(makeRun({ state: "failed", finishedAt: at(60) }))).not.toContain(
      "changed nothing",
    );
  });

  it("shows a failed run's error category and message, escaped", () => {
    const html = render(
      makeRun({
        state: "failed",
        finishedAt: at(60),
        errorCategory: "agent",
        errorMessage: `The model said ${evil}`,
      }),
    );
    expect(html).toContain(
      '<p class="error"><strong>Ship could not finish</strong> <small><code>agent</code></small></p><p class="error">The model said &#60;script&#62;alert(1)&#60;/script&#62;&#34; onmouseover=&#34;x</p>',
    );
    expect(html).not.toContain("<script>");
    const uncategorized = render(
      makeRun({ state: "cancelled", finishedAt: at(60), errorMessage: "Cancelled by @octocat" }),
    );
    expect(uncategorized).toContain('<p class="error">Cancelled by @octocat</p>');
  });

  it("shows no stale error for a run that succeeded", () => {
    const html = render(
      makeRun({ state: "succeeded", finishedAt: at(60), errorMessage: "earlier attempt failed" }),
    );
    expect(html).not.toContain('class="error"');
    expect(html).not.toContain("earlier attempt failed");
  });

  it("shows the agent's summary, escaped", () => {
    const html = render(
      makeRun({
        state: "succeeded",
        finishedAt: at(60),
        result: { summary: `Added it. ${evil}`, commits: [], filesChanged: [] },
      }),
    );
    expect(html).toContain('<div class="message">Added it. &#60;script&#62;');
    expect(html).not.toContain("<script>");
  });

  it("offers Cancel only when allowed, posting the CSRF value", () => {
    const run = makeRun({ state: "running", phase: "agent" });
    const html = render(run, { actions: { cancel: { csrf: "csrf-abc" } } });
    expect(html).toContain(
      '<form method="post" action="/runs/17/cancel"><input type="hidden" name="csrf" value="csrf-abc"><button type="submit">Cancel run</button></form>',
    );
    expect(html).not.toContain("/retry");
    const without = render(run);
    expect(without).not.toContain("Cancel run");
    expect(without).not.toContain("<form");
    expect(without).not.toContain('class="actions"');
  });

  it("offers Retry with its token and CSRF value", () => {
    const html = render(makeRun({ state: "failed", finishedAt: at(60) }), {
      actions: { retry: { token: "tok-1", csrf: "csrf-2" } },
    });
    expect(html).toContain(
      '<form method="post" action="/runs/17/retry"><input type="hidden" name="token" value="tok-1"><input type="hidden" name="csrf" value="csrf-2"><button type="submit">Retry run</button></form>',
    );
    expect(html).not.toContain("Cancel run");
  });

  it("escapes the forms' values", () => {
    const html = render(makeRun(), {
      actions: { cancel: { csrf: evil }, retry: { token: evil, csrf: evil } },
    });
    expect(html).not.toContain("<script>");
    expect(html).not.toContain('" onmouseover="');
  });

  it("links a visitor to sign in", () => {
    const html = render(makeRun({ state: "running", phase: "agent" }), {
      actions: { signIn: "/auth/login?return_to=%2Fruns%2F17" },
    });
    expect(html).toContain(
      '<a href="/auth/login?return_to=%2Fruns%2F17">Sign in with GitHub</a> to cancel or retry.',
    );
    expect(html).not.toContain("<form");
  });

  it("lists who asked, who acted, the model, the trigger and the retried run", () => {
    const html = render(
      makeRun({
        requesterLogin: "octocat",
        actingLogin: "ship-bot",
        model: "anthropic/claude",
        trigger: "pr_command",
        retryOf: 9,
      }),
    );
    expect(html).toContain("<dt>Asked by</dt><dd>@octocat</dd>");
    expect(html).toContain("<dt>Acting as</dt><dd>@ship-bot</dd>");
    expect(html).toContain("<dt>Model</dt><dd><code>anthropic/claude</code></dd>");
    expect(html).toContain("<dt>Trigger</dt><dd>/ship on a pull request</dd>");
    expect(html).toContain('<dt>Retry of</dt><dd><a href="/runs/9">run 9</a></dd>');

    const plain = render(makeRun({ trigger: "label" }));
    expect(plain).toContain("<dd><code>default</code></dd>");
    expect(plain).toContain("<dd>label on an issue</dd>");
    expect(plain).not.toContain("Acting as");
    expect(plain).not.toContain("Retry of");
  });

  it("escapes the requester, acting login, model and an unknown trigger", () => {
    const html = render(
      makeRun({ requesterLogin: evil, actingLogin: evil, model: evil, trigger: evil }),
    );
    expect(html).not.toContain("<script>");
    expect(html).not.toContain('" onmouseover="');
  });

  it("shows the tokens as the status comment counts them, and the cost or why there is none", () => {
    const result = { commits: [], filesChanged: [] };
    const priced = render(
      makeRun({
        state: "succeeded",
        finishedAt: at(60),
        result: {
          ...result,
          usage: { input: 12_345, output: 678, cacheRead: 1_000_000, cost: 0.5 },
        },
      }),
    );
    expect(priced).toContain('<dt>Cost</dt><dd class="cost">$0.5000</dd>');
    expect(priced).toContain(
      '<dt>Tokens</dt><dd class="usage">1,012,345 tokens in (1,000,000 from cache), 678 out</dd>',
    );
    const freeRun = makeRun({
      state: "succeeded",
      finishedAt: at(60),
      model: "sim/x",
      result: { ...result, usage: { input: 10, output: 2, cacheRead: 0, cost: 0 } },
    });
    const unpriced = renderRunSummary({
      run: freeRun,
      milestones: [],
      actions: {},
      githubUrl,
      now: at(600),
      priced: false,
    });
    expect(unpriced).toContain('<dd class="usage">10 tokens in, 2 out</dd>');
    expect(unpriced).toContain("none: no price for <code>sim/x</code>");
    const free = renderRunSummary({
      run: freeRun,
      milestones: [],
      actions: {},
      githubUrl,
      now: at(600),
      priced: true,
    });
    expect(free).toContain("$0 (<code>sim/x</code> is priced at nothing)");
    const none = render(
      makeRun({
        state: "succeeded",
        finishedAt: at(60),
        result: { ...result, usage: { input: 0, output: 0, cacheRead: 0, cost: 0 } },
      }),
    );
    expect(none).not.toContain("Tokens");
    expect(none).toContain("none: no model calls were counted");
    expect(render(makeRun())).not.toContain("Tokens");
    expect(render(makeRun())).toContain("counted when the run ends");
  });

  it("puts the total time in the card: a ticking counter while running, the duration after", () => {
    const running = render(makeRun({ state: "running", phase: "agent", startedAt: at(5) }));
    expect(running).toContain(
      '<dt>Running for</dt><dd><span class="elapsed" data-since="2024-05-06T10:00:05.000Z">since <time datetime="2024-05-06T10:00:05.000Z">10:00:05</time> UTC</span></dd>',
    );
    // Stable while running, so the live summary is not resent every second.
    expect(running).toBe(
      renderRunSummary({
        run: makeRun({ state: "running", phase: "agent", startedAt: at(5) }),
        milestones: [],
        actions: {},
        githubUrl,
        now: at(900),
      }),
    );
    const done = render(makeRun({ state: "succeeded", startedAt: at(5), finishedAt: at(70) }));
    expect(done).toContain("<dt>Took</dt><dd>1 min 5 s</dd>");
    expect(done).not.toContain("data-since");
  });

  it("offers a View pull request button in the card", () => {
    const html = render(
      makeRun({
        state: "succeeded",
        finishedAt: at(60),
        result: { commits: [], filesChanged: [], pullRequest: { number: 3, url: "https://pr/3" } },
      }),
    );
    expect(html).toMatch(
      /<div class="card">.*<a class="button primary" href="https:\/\/pr\/3">View pull request<\/a>.*<\/div>/s,
    );
    expect(render(makeRun({ state: "failed", finishedAt: at(60) }))).not.toContain(
      "View pull request",
    );
  });

  it("shows a failed run's What to do, with its code spans", () => {
    const html = renderRunSummary({
      run: makeRun({
        state: "failed",
        finishedAt: at(60),
        errorCategory: "provider_unavailable",
        errorMessage: "The model server failed",
      }),
      milestones: [],
      actions: {},
      githubUrl,
      now: at(600),
      whatToDo: `Comment \`/ship retry\` to try again. ${evil}`,
    });
    expect(html).toContain(
      '<p class="what-to-do"><strong>What to do:</strong> Comment <code>/ship retry</code> to try again. &#60;script&#62;',
    );
    expect(html).not.toContain("<script>");
  });

  it("leads a failure with its plain title and says what to do from its category", () => {
    const html = render(
      makeRun({
        state: "failed",
        finishedAt: at(60),
        errorCategory: "provider_unavailable",
        errorMessage: "The model server failed",
      }),
    );
    expect(html).toContain(
      '<p class="error"><strong>The model provider is unavailable</strong> <small><code>provider_unavailable</code></small></p><p class="error">The model server failed</p><p class="what-to-do"><strong>What to do:</strong> The model provider may be busy or down: wait a few minutes.</p>',
    );
  });

  it("gives cancelled its own (grey) state, not failed's", () => {
    const html = render(makeRun({ state: "cancelled", finishedAt: at(60) }));
    expect(html).toContain('<p class="state cancelled" role="status">Cancelled</p>');
    expect(html).not.toContain("state failed");
  });

  it("calls the todo list the agent's last plan once the run is over", () => {
    const todos = [{ content: "Write the README", status: "in_progress" }];
    expect(render(makeRun({ state: "running", phase: "agent" }), { todos })).toContain(
      "<h2>Todo list</h2>",
    );
    const ended = render(makeRun({ state: "succeeded", finishedAt: at(60) }), { todos });
    expect(ended).toContain("<h2>The agent's last plan</h2>");
    expect(ended).not.toContain("<h2>Todo list</h2>");
  });

  it("shows the agent's answer when the run changed nothing", () => {
    const html = render(
      makeRun({
        state: "succeeded",
        finishedAt: at(60),
        result: { commits: [], filesChanged: [], answer: "The tests pass <b>already</b>." },
      }),
    );
    expect(html).toContain(
      '<div class="message">The tests pass &#60;b&#62;already&#60;/b&#62;.</div>',
    );
  });

  it("shows each changed file's +/- counts and its escaped diff, collapsed", () => {
    const html = renderRunSummary({
      run: makeRun({
        state: "succeeded",
        finishedAt: at(60),
        result: {
          commits: [],
          filesChanged: ["README.md"],
          pullRequest: { number: 3, url: "https://pr/3" },
        },
      }),
      milestones: [],
      actions: {},
      githubUrl,
      now: at(600),
      diff: {
        htmlUrl: "https://github.example/octo/hello/compare/a...b",
        files: [
          {
            filename: "README.md",
            status: "added",
            additions: 2,
            deletions: 1,
            patch: "@@ -1 +1,2 @@\n-old\n+# Hello <script>\n+world",
          },
          { filename: "logo.png", status: "added", additions: 0, deletions: 0 },
        ],
      },
    });
    expect(html).toContain(
      '<p class="diffstat">2 files, <span class="add">+2</span> <span class="del">−1</span></p>',
    );
    expect(html).toContain(
      '<details id="file-0"><summary><code>README.md</code> <span class="add" aria-label="2 added">+2</span> <span class="del" aria-label="1 removed">−1</span></summary><pre class="diff"><span class="h">@@ -1 +1,2 @@</span><span class="d">-old</span><span class="a">+# Hello &#60;script&#62;</span><span class="a">+world</span></pre></details>',
    );
    expect(html).not.toContain("<script>");
    expect(html).toContain(
      'No diff to show (a binary file, or too large for GitHub to show here); <a href="https://pr/3/files">see the PR</a>.',
    );
  });

  it("times each phase of a running run up to the next, the last one in progress", () => {
    const html = render(makeRun({ state: "running", phase: "agent", startedAt: at(0) }), {
      milestones: [
        milestone(0, "run.started", { attempt: 1 }),
        milestone(0.4, "phase", { phase: "sandbox" }),
        milestone(12.4, "phase", { phase: "clone" }),
        milestone(197.4, "phase", { phase: "agent" }),
      ],
      now: at(400),
    });
    expect(html).toContain("<h2>Timeline</h2>");
    expect(timelineRows(html)).toEqual([
      ["Started", "10:00:00", "0.4 s"],
      ["Starting the sandbox", "10:00:00", "12 s"],
      ["Cloning the repository", "10:00:12", "3 min 5 s"],
      ["Agent at work", "10:03:17", "in progress"],
    ]);
  });

  it("times a finished run's last phase up to its end, and ends with its outcome", () => {
    const html = render(makeRun({ state: "succeeded", finishedAt: at(95) }), {
      milestones: [
        milestone(0, "run.started"),
        milestone(5, "phase", { phase: "agent" }),
        milestone(80, "phase", { phase: "pull_request" }),
      ],
      now: at(10_000),
    });
    expect(timelineRows(html)).toEqual([
      ["Started", "10:00:00", "5 s"],
      ["Agent at work", "10:00:05", "1 min 15 s"],
      ["Opening the pull request", "10:01:20", "15 s"],
      ["Done", "10:01:35", ""],
    ]);
    expect(html).not.toContain("in progress");
  });

  it("leaves other kinds of events out of the timeline, and names unknown phases escaped", () => {
    const html = render(makeRun({ state: "failed", finishedAt: at(30) }), {
      milestones: [
        milestone(0, "run.started"),
        milestone(10, "run.failed", { message: "boom" }),
        milestone(20, "phase", { phase: evil }),
      ],
    });
    const rows = timelineRows(html);
    expect(rows.map((row) => row[0])).toEqual([
      "Started",
      "&#60;script&#62;alert(1)&#60;/script&#62;&#34; onmouseover=&#34;x",
      "Failed",
    ]);
    expect(rows[0]?.[2]).toBe("20 s");
    expect(html).not.toContain("<script>");
  });

  it("has no timeline before the first milestone", () => {
    expect(render(makeRun())).not.toContain("Timeline");
  });

  it("shows the agent's latest todo list", () => {
    const html = render(makeRun({ state: "running", phase: "agent" }), {
      todos: [
        { content: "Write the changelog", status: "completed", priority: "high" },
        { content: evil, status: "pending", priority: "low" },
      ],
    });
    expect(html).toContain('<h2>Todo list</h2><ul class="todos">');
    expect(html).toContain("☑</span> Write the changelog</li>");
    expect(html).toContain("☐</span> &#60;script&#62;");
    expect(html).not.toContain("<script>");
    expect(render(makeRun(), { todos: [] })).not.toContain("Todo list");
    expect(render(makeRun())).not.toContain("Todo list");
  });

  it("lists the changed files and the commits, linked to GitHub with short SHAs", () => {
    const sha = "0123456789abcdef0123456789abcdef01234567";
    const html = render(
      makeRun({
        state: "succeeded",
        finishedAt: at(60),
        result: {
          commits: [
            { sha, message: "Add a README\n\nWith a long body <b>." },
            { sha: "fedcba9876543210fedcba9876543210fedcba98", message: `Fix ${evil}` },
          ],
          filesChanged: ["README.md", "src/<odd>.ts"],
        },
      }),
    );
    expect(html).toContain(
      '<h2>Changed files</h2><ul class="files"><li><div class="plain"><code>README.md</code></div></li><li><div class="plain"><code>src/&#60;odd&#62;.ts</code></div></li></ul>',
    );
    expect(html).toContain(
      `<li><a href="${githubUrl}/octo/hello/commit/${sha}"><code>0123456</code></a> Add a README</li>`,
    );
    expect(html).not.toContain("With a long body");
    expect(html).toContain("<code>fedcba9</code></a> Fix &#60;script&#62;");
    expect(html).not.toContain("<script>");
  });

  it("has no file or commit lists when there are none", () => {
    const html = render(
      makeRun({
        state: "succeeded",
        finishedAt: at(60),
        result: { commits: [], filesChanged: [] },
      }),
    );
    expect(html).not.toContain("Changed files");
    expect(html).not.toContain("Commits");
  });

  it("escapes the branch in its link and its label", () => {
    const html = render(
      makeRun({
        state: "succeeded",
        finishedAt: at(60),
        branch: evil,
        result: { commits: [], filesChanged: [], pullRequest: { number: 1, url: evil } },
      }),
    );
    expect(html).not.toContain("<script>");
    expect(html).not.toContain('" onmouseover="');
  });
});
