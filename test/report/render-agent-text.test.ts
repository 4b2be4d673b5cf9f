import { renderPullRequestBody } from "../../src/report/render-pull-request-body.js";
import { renderReply } from "../../src/report/render-reply.js";
import { renderReviewReply } from "../../src/report/render-review-reply.js";
import { renderStatusComment } from "../../src/report/render-status-comment.js";
import type { StatusView } from "../../src/report/status-view.js";
import { liveAgentText } from "../helpers/live-agent-text.js";

const phishing = "[re-authorize Ship](https://evil.example/x) cc @alice @org/team\n\nFixes #3";

/**
 * Everything in a rendered text that GitHub would act on, once Ship's own parts (`ship`:
 * its marker, links, the requester's mention, its HTML) and code spans (where GitHub
 * acts on nothing) are taken out.
 */
function liveOutsideShipLines(text: string, ship: string[]): string[] {
  let rest = text;
  for (const own of [...ship, "<!-- ship:run:7 -->", "<!-- ship -->"])
    rest = rest.replaceAll(own, "");
  for (const tag of ["details", "summary", "sub"])
    rest = rest.replaceAll(`<${tag}>`, "").replaceAll(`</${tag}>`, "");
  rest = rest.replace(/(?<!`)(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, "");
  return liveAgentText(rest);
}

function view(overrides: Partial<StatusView>): StatusView {
  return {
    runId: 7,
    state: "running",
    phase: "agent",
    task: "make it work",
    requester: "bob",
    model: "sim/write-readme",
    now: new Date("2026-12-01T10:00:00Z"),
    ...overrides,
  };
}

describe("what Ship posts is defanged", () => {
  it("status comment: the agent's plan", () => {
    const body = renderStatusComment(
      view({
        todos: [
          { content: phishing, status: "pending" },
          { content: "</details>\n\n# Hijacked heading", status: "completed" },
          ...Array.from({ length: 40 }, (_, index) => ({
            content: `step ${index}`,
            status: "pending",
          })),
        ],
      }),
    );
    expect(
      liveOutsideShipLines(body, [
        "Asked by @bob",
        "<!-- ship:run:7 -->",
        "<details>",
        "</details>",
        "<summary>",
        "</summary>",
        "<sub>",
        "</sub>",
      ]),
    ).toEqual([]);
    expect(body).not.toContain("\n# Hijacked");
    expect(body).toContain("- … and 12 more");
    expect(body).toContain("Asked by @bob");
  });

  it("status comment: summary, file names, task and errors", () => {
    const succeeded = renderStatusComment(
      view({
        state: "succeeded",
        phase: "pull_request",
        task: "Fixes #3 for @org/team",
        branch: "ship/x`y",
        result: {
          summary: phishing,
          commits: [],
          filesChanged: ["weird`name @alice.md", "docs/[x](https:/evil.example).md"],
          pullRequest: { number: 12, url: "https://github.com/acme/widgets/pull/12" },
          leftOut: [{ path: ".github/workflows/`@bob`.yml", why: "workflow" }],
        },
        runUrl: "https://ship.example/runs/7",
      }),
    );
    const ship = [
      "Asked by @bob",
      "**Pull request:** https://github.com/acme/widgets/pull/12",
      "[run log](https://ship.example/runs/7)",
    ];
    expect(liveOutsideShipLines(succeeded, ship)).toEqual([]);
    expect(succeeded).toContain("**Pull request:** https://github.com/acme/widgets/pull/12");
    expect(succeeded).toContain("[run log](https://ship.example/runs/7)");
    // A backtick in a name cannot end its span.
    expect(succeeded).toContain("- ``weird`name @alice.md``");
    expect(succeeded).toContain("**Branch:** ``ship/x`y``");
    expect(succeeded).toContain("**Left out:** ``.github/workflows/`@bob`.yml``");

    const failed = renderStatusComment(
      view({
        state: "failed",
        error: {
          // A category a retry can help with, so the retry link is offered.
          category: "clone",
          message: `The setup command failed: npm ERR! see https://evil.example/log, ping @alice, closes #3 ${"x".repeat(5_000)}`,
        },
        retryUrl: "https://ship.example/retry/7?token=abc",
      }),
    );
    expect(
      liveOutsideShipLines(failed, [
        "Asked by @bob",
        "[retry here](https://ship.example/retry/7?token=abc)",
      ]),
    ).toEqual([]);
    expect(failed).toContain("… (cut)");
    expect(failed).toContain("[retry here](https://ship.example/retry/7?token=abc)");
    expect(failed.length).toBeLessThan(3_000);
  });

  it("status comment: flags pushed files CI may run, and only those", () => {
    const result = {
      commits: [],
      filesChanged: ["README.md", "package.json", "Makefile", "src/index.ts", "tools/build.mk"],
      pullRequest: { number: 12, url: "https://github.com/acme/widgets/pull/12" },
    };
    const body = renderStatusComment(view({ state: "succeeded", result }));
    expect(body).toContain(
      "⚠️ This run changed files your CI may run: `package.json`, `Makefile`, `tools/build.mk`. Review them before approving workflow runs.",
    );
    const failed = renderStatusComment(
      view({ state: "failed", result, error: { category: "budget", message: "Budget reached." } }),
    );
    expect(failed).toContain("⚠️ This run changed files your CI may run: `package.json`");
    const plain = renderStatusComment(
      view({
        state: "succeeded",
        result: { ...result, filesChanged: ["README.md", "docs/package.json.md"] },
      }),
    );
    expect(plain).not.toContain("⚠️");
  });

  it("pull request body: summary and quoted task, GitHub links kept", () => {
    const body = renderPullRequestBody({
      summary: `${phishing}\nSee https://github.com/acme/widgets/issues/9 and <img src="https://evil.example/p.png">`,
      githubUrl: "https://github.com",
      threadNumber: 5,
      requester: "bob",
      task: "closes acme/widgets#3\n@alice please",
      runUrl: "https://ship.example/runs/7",
    });
    expect(
      liveOutsideShipLines(body, [
        "Asked by @bob",
        "[run log](https://ship.example/runs/7)",
        "\nFixes #5\n",
      ]).filter((found) => !found.startsWith("https://github.com/")),
    ).toEqual([]);
    expect(body).toContain("https://github.com/acme/widgets/issues/9");
    expect(body).toContain("\nFixes #5\n");
    expect(body).toContain("Asked by @bob:");
  });

  it("review replies and command replies", () => {
    const pushed = renderReviewReply({
      kind: "pushed",
      sha: "0123456789abcdef0123456789abcdef01234567",
      branch: "ship/x",
      commitUrl: "https://github.com/acme/widgets/commit/0123456",
      summary: phishing,
    });
    expect(
      liveOutsideShipLines(pushed, ["(https://github.com/acme/widgets/commit/0123456)"]),
    ).toEqual([]);
    expect(pushed).toContain("[`0123456`](https://github.com/acme/widgets/commit/0123456)");
    const failed = renderReviewReply({
      kind: "failed",
      message: `stderr: ${phishing}`,
      whatToDo: "Try again.",
    });
    expect(liveOutsideShipLines(failed, [])).toEqual([]);

    const model = renderReply({ kind: "unknown_model", model: "x`@alice`", available: ["sim/a"] });
    expect(model).toContain("`` x`@alice` ``");
    const invalid = renderReply({
      kind: "invalid",
      problem: "`--x` is not an option; @alice fixes #3",
    });
    expect(liveOutsideShipLines(invalid, [])).toEqual([]);
    const denied = renderReply({ kind: "denied", login: "mallory", repository: "acme/widgets" });
    expect(denied).toContain("@mallory Ship only takes requests");
  });
});
