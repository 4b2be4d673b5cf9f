import { PushError } from "../../src/git/push-error.js";
import { describeFailure } from "../../src/runs/describe-failure.js";
import { failureCategory } from "../../src/runs/failure-category.js";
import { RunError } from "../../src/runs/run-error.js";

const context = { timedOut: false, runTimeoutMs: 30 * 60_000 };

/** Every category a run can fail with: its headline, and whether a retry is offered. */
const table: Array<[code: string, title: string, retryable: boolean]> = [
  ["authorization", "Ship is not authorized to act for the requester", true],
  ["agent_start", "The agent could not start", true],
  ["agent_failed", "The agent stopped with an error", true],
  ["aborted", "The agent was stopped", true],
  ["provider_auth", "The model provider refused Ship's credentials", false],
  ["provider_rejected", "The model provider rejected the request", false],
  ["provider_unavailable", "The model provider is unavailable", true],
  ["budget", "The run's budget ran out", true],
  ["timeout", "The run took too long", true],
  ["setup", "A setup command failed", false],
  ["disk_full", "The sandbox's disk is full", false],
  ["sandbox", "The sandbox stopped answering", true],
  ["clone", "Ship could not clone the repository", true],
  ["branch", "Ship could not create the branch", false],
  ["commit", "Ship could not commit the agent's changes", true],
  ["push", "Ship could not push the commits", true],
  ["permission", "Ship lacks a permission on this repository", false],
  ["not_found", "GitHub could not find what this run works on", false],
  ["rate_limit", "GitHub's rate limit for Ship ran out", true],
  ["github", "GitHub refused a request from Ship", true],
  ["interrupted", "Ship was restarted during the run", true],
  ["internal", "Ship ran into an unexpected error", true],
];

describe("failureCategory", () => {
  it.each(table)("%s: %s (retry helps: %s)", (code, title, retryable) => {
    const category = failureCategory(code);
    expect(category.title).toBe(title);
    expect(category.retryable).toBe(retryable);
    // Whole sentences: a capital first, a full stop last, no sentence glued after one.
    expect(category.whatToDo).toMatch(/^[A-Z`[].*[.)]$/s);
    expect(category.whatToDo).not.toMatch(/\.\s+[a-z]/);
    // Collaborators cannot see the operator's settings: never send them there.
    expect(category.whatToDo).not.toMatch(/SHIP_[A-Z_]+|operator/);
    // A retryable category's advice leaves the retry to the one hint after it.
    if (retryable) expect(category.whatToDo).not.toContain("`/ship retry`");
  });

  it("reads an unknown code as an unexpected error a retry may get past", () => {
    expect(failureCategory("from_a_newer_ship")).toMatchObject({
      title: "Ship could not finish",
      retryable: true,
    });
  });

  it("has a row with an anchor in docs/troubleshooting.md for every category", async () => {
    const { readFile } = await import("node:fs/promises");
    const docs = await readFile(new URL("../../docs/troubleshooting.md", import.meta.url), "utf8");
    for (const [code, , retryable] of table) {
      expect(docs).toContain(`<a id="${code}"></a>`);
      expect(docs).toMatch(
        new RegExp(
          `\\| <a id="${code}"></a>\`${code}\` \\|[^\\n]*\\| ${retryable ? "yes" : "no"} \\|`,
        ),
      );
    }
  });
});

describe("describeFailure", () => {
  it("gives a provider outage a whole sentence and a retry, said once", () => {
    const error = Object.assign(new Error("The model server failed"), {
      agent: {
        category: "provider_unavailable",
        message: "The model server failed",
        retryable: true,
      },
    });
    expect(describeFailure(error, context)).toEqual({
      category: "provider_unavailable",
      title: "The model provider is unavailable",
      message: "The model server failed",
      whatToDo: "The model provider may be busy or down: wait a few minutes.",
      retryable: true,
    });
  });

  it("sends an unknown model to another model, not to the operator's settings", () => {
    const error = Object.assign(new Error("Model not found: sim/typo"), {
      agent: {
        category: "provider_rejected",
        message: "Model not found: sim/typo",
        retryable: false,
      },
    });
    const failure = describeFailure(error, context);
    expect(failure.retryable).toBe(false);
    expect(failure.whatToDo).toContain("`/ship retry --model provider/model`");
    expect(failure.whatToDo).toContain("ask whoever runs Ship");
    expect(failure.whatToDo).not.toContain("SHIP_MODEL");
  });

  it("keeps a failure's own advice (a taken branch) and offers no retry", () => {
    const failure = describeFailure(
      new RunError({
        category: "branch",
        message: "The branch `main` already exists.",
        whatToDo: "Name another branch with `--branch`, or leave it out and Ship picks one.",
      }),
      context,
    );
    expect(failure).toMatchObject({
      title: "Ship could not create the branch",
      whatToDo: "Name another branch with `--branch`, or leave it out and Ship picks one.",
      retryable: false,
    });
  });

  it("says the limit of a timeout in minutes, in words", () => {
    const one = describeFailure(new Error("aborted"), { timedOut: true, runTimeoutMs: 60_000 });
    expect(one.message).toBe(
      "The run took longer than its limit of 1 minute, so Ship stopped it and pushed nothing more.",
    );
    expect(one).toMatchObject({ category: "timeout", retryable: true });
    const many = describeFailure(new Error("aborted"), { timedOut: true, runTimeoutMs: 1_800_000 });
    expect(many.message).toContain("its limit of 30 minutes");
  });

  it("tells a full disk, a refused push and GitHub's errors apart", () => {
    expect(describeFailure(new Error("ENOSPC: no space"), context).category).toBe("disk_full");
    expect(
      describeFailure(new PushError({ kind: "github", message: "denied", status: 403 }), context)
        .category,
    ).toBe("permission");
    expect(
      describeFailure(new PushError({ kind: "github", message: "gone", status: 404 }), context)
        .category,
    ).toBe("not_found");
    expect(describeFailure(Object.assign(new Error("x"), { status: 502 }), context)).toMatchObject({
      category: "github",
      retryable: true,
    });
    expect(describeFailure(new Error("boom"), context)).toMatchObject({
      category: "internal",
      message: "Ship ran into an unexpected error: boom",
      whatToDo: "If it happens again, tell whoever runs Ship.",
    });
  });
});
