import { describe, expect, it } from "@jest/globals";
import type { RunEvent } from "../../src/runs/run-event.js";
import { renderRunEvent, renderTodos } from "../../src/web/render-run-event.js";

const at = new Date("2024-05-06T07:08:09.123Z");
const evil = `<script>alert(1)</script>" onmouseover="x`;

function event(kind: string, data: Record<string, unknown> = {}, id = 42): RunEvent {
  return { id, at, kind, data };
}

/** The HTML must hold none of the evil string's markup or attribute-breaking quote. */
function expectNoInjection(html: string) {
  expect(html).not.toContain("<script>");
  expect(html).not.toContain("</script>");
  expect(html).not.toContain('" onmouseover="');
}

describe("renderRunEvent", () => {
  it("is a list item with the event's id and its time of day", () => {
    const html = renderRunEvent(event("run.cancelled", {}, 7));
    expect(html).toMatch(/^<li [^>]*id="e7"[^>]*>.*<\/li>$/s);
    expect(html).toContain('<time datetime="2024-05-06T07:08:09.123Z">07:08:09</time>');
    expect(html).toContain("Cancelled");
  });

  it("names phases in plain words, and unknown phases as they are, escaped", () => {
    expect(renderRunEvent(event("phase", { phase: "clone" }))).toContain("Cloning the repository");
    const unknown = renderRunEvent(event("phase", { phase: evil }));
    expectNoInjection(unknown);
    expect(unknown).toContain("&#60;script&#62;alert(1)&#60;/script&#62;&#34; onmouseover=&#34;x");
  });

  it("says when a run started and which attempt it is", () => {
    const first = renderRunEvent(event("run.started", { attempt: 1 }));
    expect(first).toContain("Run started");
    expect(first).not.toContain("attempt");
    expect(renderRunEvent(event("run.started", { attempt: 3 }))).toContain(
      "Run started (attempt 3)",
    );
  });

  it("links the pull request of a succeeded run", () => {
    const html = renderRunEvent(
      event("run.succeeded", {
        pullRequest: { number: 12, url: "https://github.com/octo/hello/pull/12" },
      }),
    );
    expect(html).toContain(
      'Done: <a href="https://github.com/octo/hello/pull/12">pull request #12</a>',
    );
    const withoutPr = renderRunEvent(event("run.succeeded", { pullRequest: null }));
    expect(withoutPr).toContain("Done");
    expect(withoutPr).not.toContain("<a ");
  });

  it("escapes a pull request URL", () => {
    const html = renderRunEvent(
      event("run.succeeded", { pullRequest: { number: 1, url: `https://x/"><script>` } }),
    );
    expect(html).toContain('href="https://x/&#34;&#62;&#60;script&#62;"');
    expectNoInjection(html);
  });

  it("shows a failed run's message, escaped, with its code spans as code", () => {
    const html = renderRunEvent(
      event("run.failed", { message: "The command `npm test` failed: <b>boom</b>" }),
    );
    expect(html).toContain(
      "Failed: The command <code>npm test</code> failed: &#60;b&#62;boom&#60;/b&#62;",
    );
    expectNoInjection(renderRunEvent(event("run.failed", { message: evil })));
  });

  it("says a run was cancelled or interrupted", () => {
    expect(renderRunEvent(event("run.cancelled"))).toContain("Cancelled");
    expect(renderRunEvent(event("run.interrupted"))).toContain(
      "Interrupted: Ship was restarted during the run",
    );
  });

  it("shows an agent message escaped", () => {
    const html = renderRunEvent(event("agent.message", { text: `I fixed it. ${evil}` }));
    expectNoInjection(html);
    expect(html).toContain('<div class="message">I fixed it. &#60;script&#62;');
  });

  it("marks tool calls running, completed and failed, with the title's code spans as code", () => {
    const tool = (status: string, extra: Record<string, unknown> = {}) =>
      renderRunEvent(
        event("agent.tool", {
          callId: "call_1",
          tool: "write",
          title: "Writing `README.md`",
          status,
          ...extra,
        }),
      );
    const running = tool("running");
    expect(running).toContain('aria-label="running">…</span> Writing <code>README.md</code>');
    expect(running).not.toContain("✓");
    const completed = tool("completed");
    expect(completed).toContain('aria-label="completed">✓</span> Writing <code>README.md</code>');
    expect(completed).not.toContain("…");
    const failed = tool("error", { error: "EACCES: permission denied" });
    expect(failed).toContain(
      'aria-label="error">✗</span> Writing <code>README.md</code>: EACCES: permission denied',
    );
  });

  it("escapes a tool call's title and error", () => {
    const html = renderRunEvent(
      event("agent.tool", { title: `Running \`${evil}\``, status: "error", error: evil }),
    );
    expectNoInjection(html);
    expect(html).toContain("<code>&#60;script&#62;");
    const status = renderRunEvent(event("agent.tool", { title: "x", status: evil }));
    expectNoInjection(status);
  });

  it("shows a todo list", () => {
    const html = renderRunEvent(
      event("agent.todos", {
        todos: [
          { content: "Write the changelog", status: "completed", priority: "high" },
          { content: "Mention the release", status: "pending", priority: "low" },
        ],
      }),
    );
    expect(html).toContain("Todo list<ul>");
    expect(html).toContain("☑</span> Write the changelog");
    expect(html).toContain("☐</span> Mention the release");
  });

  it("shows an agent error escaped", () => {
    const html = renderRunEvent(event("agent.error", { message: evil }));
    expect(html).toContain("Agent error: &#60;script&#62;");
    expectNoInjection(html);
  });

  it("says in words that the agent's log was cut short", () => {
    const html = renderRunEvent(
      event("agent.truncated", { text: "Log truncated: at most 5000 entries.", limit: 5000 }),
    );
    expect(html).toContain("Log truncated: at most 5000 entries.");
    expect(html).not.toContain("agent.truncated");
  });

  it("shows an unknown kind as its name, escaped", () => {
    expect(renderRunEvent(event("sandbox.ready"))).toContain("sandbox.ready");
    const html = renderRunEvent(event(evil));
    expectNoInjection(html);
    expect(html).toContain("&#60;script&#62;alert(1)");
  });

  it("treats data of the wrong type as empty", () => {
    const html = renderRunEvent(event("agent.message", { text: { toString: () => evil } }));
    expect(html).toContain('<div class="message"></div>');
    expectNoInjection(html);
  });
});

describe("renderTodos", () => {
  it("marks each item with its state for screen readers", () => {
    const html = renderTodos([
      { content: "Done thing", status: "completed" },
      { content: "Dropped thing", status: "cancelled" },
      { content: "Current thing", status: "in_progress" },
      { content: "Later thing" },
    ]);
    expect(html).toBe(
      [
        '<li class="todo completed"><span aria-label="completed">☑</span> Done thing</li>',
        '<li class="todo cancelled"><span aria-label="cancelled">☒</span> Dropped thing</li>',
        '<li class="todo in_progress"><span aria-label="in progress">▸</span> Current thing</li>',
        '<li class="todo pending"><span aria-label="pending">☐</span> Later thing</li>',
      ].join(""),
    );
  });

  it("escapes content and status", () => {
    const html = renderTodos([{ content: evil, status: evil }]);
    expectNoInjection(html);
    expect(html).toContain("&#60;script&#62;alert(1)&#60;/script&#62;&#34; onmouseover=&#34;x");
  });

  it("renders nothing for something that is not a list", () => {
    expect(renderTodos(undefined)).toBe("");
    expect(renderTodos(null)).toBe("");
    expect(renderTodos({ content: "x" })).toBe("");
    expect(renderTodos([])).toBe("");
  });
});
