import { renderReply } from "../../src/report/render-reply.js";

describe("renderReply", () => {
  it.each([
    [{ state: "succeeded", phase: "succeeded" }, "Ship run 1 succeeded."],
    [
      { state: "failed", phase: "failed", failure: "the model provider is unavailable" },
      "Ship run 1 failed (the model provider is unavailable).",
    ],
    [{ state: "cancelled", phase: "cancelled" }, "Ship run 1 was cancelled."],
    [{ state: "queued", phase: "queued" }, "Ship run 1 is queued."],
    [{ state: "running", phase: "agent" }, "Ship run 1 is running: agent at work."],
  ])("says a run's state in plain words: %j", (run, sentence) => {
    const text = renderReply({ kind: "status", runId: 1, ...run });
    expect(text).toContain(sentence);
    expect(text).not.toContain("**");
  });

  it("says when a pull request was already ready for review", () => {
    const url = "https://github.com/acme/widgets/pull/12";
    expect(renderReply({ kind: "ready", pullRequestUrl: url, number: 12 })).toContain(
      "PR #12 is ready for review.",
    );
    expect(
      renderReply({ kind: "ready", pullRequestUrl: url, number: 12, alreadyReady: true }),
    ).toContain("PR #12 is already ready for review.");
  });

  it("gives the kill switch's reason, ending the sentence once", () => {
    expect(renderReply({ kind: "paused", by: "operator", reason: "maintenance" })).toContain(
      "Ship is paused by the operator: maintenance. No new runs start until it is resumed.",
    );
    expect(renderReply({ kind: "paused", by: "repository", reason: "Moving CI." })).toContain(
      "Ship is paused in this repository (`paused:` in `.github/ship.yml`): Moving CI. No new runs",
    );
    expect(renderReply({ kind: "paused", by: "repository" })).toContain(
      "(`paused:` in `.github/ship.yml`). No new runs start",
    );
  });

  it("refuses a reader's request with whom to ask and the usage", () => {
    const text = renderReply({
      kind: "denied",
      login: "carol",
      repository: "acme/widgets",
      withUsage: true,
    });
    expect(text).toContain("@carol Ship only takes requests from people with write access");
    expect(text).toContain("Ask a maintainer");
    expect(text).toContain("`--new`");
    expect(text).toContain("`/ship retry --model provider/model`");
  });
});
