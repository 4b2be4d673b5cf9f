import { jest } from "@jest/globals";
import { Octokit } from "@octokit/rest";
import { authorizeShipAs } from "../../src/sim/authorize-ship-as.js";
import type { ScriptStep } from "../../src/sim/model/script-step.js";
import { simProviderConfig } from "../../src/sim/model/sim-provider-config.js";
import { simScripts } from "../../src/sim/sim-scripts.js";
import { askShip } from "../helpers/ask-ship.js";
import { awaitRun } from "../helpers/await-run.js";
import { liveAgentText } from "../helpers/live-agent-text.js";
import { startTestShip, type TestShip } from "../helpers/start-test-ship.js";
import { statusCommentOf } from "../helpers/status-comment-of.js";

// End-to-end timing on a 2-core machine: one retry, with the first failure printed.
jest.retryTimes(1, { logErrorsBeforeRetry: true });

/** What a prompt-injected agent is made to end with (review finding 7). */
const phishing = "[re-authorize Ship](https://evil.example/x) cc @alice @org/team";

/** Scripts of this file's own, played by the world's model as `sim/<name>`. */
const scripts: Record<string, ScriptStep[]> = {
  phish: [
    {
      toolCalls: [
        {
          name: "todowrite",
          arguments: {
            todos: [{ content: `Fixes #3 ${phishing}`, status: "in_progress", priority: "high" }],
          },
        },
      ],
    },
    {
      toolCalls: [{ name: "write", arguments: { filePath: "NOTES.md", content: "notes\n" } }],
    },
    {
      reply: `Add notes ${phishing}\n\nFixes #3\nSee <https://evil.example/y> and www.evil.example`,
    },
  ],
  "edit-package": [
    {
      toolCalls: [
        {
          name: "write",
          arguments: {
            filePath: "package.json",
            content: `${JSON.stringify({ name: "widgets", version: "1.0.0", scripts: { test: "node --test && echo ok" } }, null, 2)}\n`,
          },
        },
      ],
    },
    { reply: "Make the test script say ok" },
  ],
};

/**
 * What Ship posts from the agent, end to end: a scripted agent whose todos, answer and
 * commit message carry a phishing link, mentions and a closing keyword. The status
 * comment, the draft PR's body and the commit on the fake GitHub carry none of them
 * live; and a run that changed `package.json` says CI may run it.
 */
describe("what Ship posts from the agent", () => {
  let t: TestShip;
  let octokit: Octokit;
  const [owner, repo] = ["acme", "widgets"];

  beforeAll(async () => {
    t = await startTestShip((world) => ({
      SHIP_RUN_TIMEOUT: "45s",
      SHIP_PROVIDERS: JSON.stringify({
        sim: simProviderConfig({
          baseUrl: world.model.baseUrl,
          models: [...Object.keys(simScripts), ...Object.keys(scripts)],
        }),
      }),
      // Ship holds runs to a dollar budget only with a price for their model.
      SHIP_MODEL_PRICES: JSON.stringify(
        Object.fromEntries(
          Object.keys(scripts).map((name) => [`sim/${name}`, { input: 1, output: 1 }]),
        ),
      ),
    }));
    for (const [name, steps] of Object.entries(scripts)) t.world.model.setScript(name, steps);
    // Ship acts as the person who asks, once they authorized it.
    await authorizeShipAs({ shipUrl: t.config.publicUrl, login: t.world.sample.writer.login });
    octokit = new Octokit({ baseUrl: t.world.github.apiUrl, auth: t.world.sample.writer.token });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("mentions no one, closes nothing and links nowhere but GitHub", async () => {
    const { comment } = askShip(t, "/ship --model sim/phish add notes");
    const run = await awaitRun(t, comment.id);
    expect({ state: run.state, error: run.errorMessage }).toEqual({
      state: "succeeded",
      error: null,
    });

    const status = statusCommentOf(t, run);
    expect(status).toContain("✅");
    expect(status).toContain("re-authorize Ship");
    expect(liveIn(status, t)).toEqual([]);
    expect(status).toContain(`Asked by @${t.world.sample.writer.login}`);

    const pr = (await t.world.github.pullRequests(t.world.sample.repository)).find(
      (p) => p.number === run.prNumber,
    );
    expect(pr?.body).toContain("re-authorize Ship");
    expect(liveIn(pr?.body ?? "", t)).toEqual([]);
    expect(pr?.body).toContain(`\nFixes #${run.threadNumber}\n`);

    const head = (await octokit.rest.git.getRef({ owner, repo, ref: `heads/${run.branch}` })).data
      .object.sha;
    const commit = (await octokit.rest.git.getCommit({ owner, repo, commit_sha: head })).data;
    expect(commit.message).toContain("re-authorize Ship");
    // A commit message is text: only its mentions, keywords and URLs matter there.
    expect(
      liveAgentText(commit.message).filter(
        (found) => !found.startsWith("<") && !found.startsWith("]("),
      ),
    ).toEqual([]);
    expect(status).not.toContain("⚠️");
  });

  it("says when the run changed a file CI may run", async () => {
    const { comment } = askShip(t, "/ship --model sim/edit-package make the tests say ok");
    const run = await awaitRun(t, comment.id);
    expect(run).toMatchObject({ state: "succeeded" });
    expect(statusCommentOf(t, run)).toContain(
      "⚠️ This run changed files your CI may run: `package.json`. Review them before approving workflow runs.",
    );
  });
});

/**
 * What GitHub would act on in a body Ship posted, once Ship's own parts are taken out:
 * its markers and HTML, its links to the pull request and run page, the requester's
 * mention, its own `Fixes #n` line and code spans (inert on GitHub).
 */
function liveIn(body: string, t: TestShip): string[] {
  const rest = body
    .replace(/<!-- ship(?::run:\d+)? -->/g, "")
    .replace(/<\/?(?:details|summary|sub)>/g, "")
    .replace(/\[run log\]\([^)]*\)/g, "")
    .replaceAll(`@${t.world.sample.writer.login}`, "")
    .replace(/^Fixes #\d+$/m, "")
    .replace(/(?<!`)(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, "");
  return liveAgentText(rest, new URL(t.config.githubUrl).host);
}
