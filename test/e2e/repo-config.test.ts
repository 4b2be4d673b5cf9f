import { jest } from "@jest/globals";
import { askShip } from "../helpers/ask-ship.js";
import { awaitRun } from "../helpers/await-run.js";
import { commitFiles } from "../helpers/commit-file.js";
import { startTestShip, type TestShip } from "../helpers/start-test-ship.js";
import { statusCommentOf } from "../helpers/status-comment-of.js";
import { waitFor } from "../helpers/wait-for.js";

// End-to-end timing on a 2-core machine running two test files at once: one retry,
// with the first failure printed, so a scheduling hiccup does not fail the build.
jest.retryTimes(1, { logErrorsBeforeRetry: true });

/** `.github/ship.yml` on the default branch: read for every request, through the real path. */
describe("per-repository config", () => {
  let t: TestShip;
  let repository: string;
  beforeAll(async () => {
    t = await startTestShip();
    repository = t.world.sample.repository;
  });
  afterAll(async () => {
    await t?.stop();
  });

  const shipYml = (text: string) =>
    commitFiles(t.world, { ".github/ship.yml": text }, "Configure Ship");
  const replyOn = (issueNumber: number, text: string) =>
    waitFor(`a reply with ${text}`, () =>
      t.world.github
        .issueComments(repository, issueNumber)
        .find((c) => c.body.includes("<!-- ship -->") && c.body.includes(text)),
    );

  it("uses the repository's model, branch prefix, setup commands and instructions; --model still wins", async () => {
    await shipYml(
      [
        "model: sim/no-changes",
        "branchPrefix: bot/",
        "setup:",
        "  - echo ready > setup-ran.txt",
        "instructions: Always write British English.",
        "",
      ].join("\n"),
    );
    const first = askShip(t, "/ship add a README");
    const byConfig = await awaitRun(t, first.comment.id);
    expect(byConfig).toMatchObject({ model: "sim/no-changes", state: "succeeded" });
    expect(byConfig.branch).toMatch(/^bot\/add-a-readme-\d+$/);

    const second = askShip(t, "/ship --model sim/write-readme add a README");
    const byOption = await awaitRun(t, second.comment.id);
    expect(byOption).toMatchObject({ model: "sim/write-readme", state: "succeeded" });
    expect(byOption.result?.filesChanged.sort()).toEqual(["README.md", "setup-ran.txt"]);
    const prompt = JSON.stringify(
      t.world.model.requests.filter((r) => r.kind === "turn" && r.script === "write-readme").at(-1)
        ?.body,
    );
    expect(prompt).toContain("Always write British English.");
  }, 120_000); // two whole runs

  it("answers to its own trigger label instead of `ship`", async () => {
    await shipYml("label: agent\nmodel: sim/write-readme\n");
    const { writer } = t.world.sample;
    const issue = t.world.github.createIssue({
      repository,
      author: writer.login,
      title: "Add a README",
      body: "",
    });
    t.world.github.addLabels({
      repository,
      issueNumber: issue.number,
      labels: ["ship"],
      actor: writer.login,
    });
    await t.world.github.waitForDeliveries();
    t.world.github.addLabels({
      repository,
      issueNumber: issue.number,
      labels: ["agent"],
      actor: writer.login,
    });
    const runs = await waitFor("the label's run", async () => {
      const { rows } = await t.db.pool.query("SELECT id FROM runs WHERE thread_number = $1", [
        issue.number,
      ]);
      return rows.length ? rows : undefined;
    });
    expect(runs).toHaveLength(1);
  });

  it("lets only the allow list in", async () => {
    await shipYml(`allow: [${t.world.sample.installer}]\n`);
    const { issue } = askShip(t, "/ship add a README");
    await replyOn(issue.number, "lets only the people on its `allow` list start Ship");
  });

  it("takes a single `setup:` string as one command", async () => {
    await shipYml("model: sim/write-readme\nsetup: echo ready > setup-ran.txt\n");
    const { comment } = askShip(t, "/ship add a README");
    const run = await awaitRun(t, comment.id);
    expect(run.state).toBe("succeeded");
    expect(run.result?.filesChanged.sort()).toEqual(["README.md", "setup-ran.txt"]);
  });

  it("caps a `timeout:` above SHIP_RUN_TIMEOUT and says so with the run", async () => {
    await shipYml("model: sim/no-changes\ntimeout: 2h\n");
    const { comment } = askShip(t, "/ship add a README");
    const run = await awaitRun(t, comment.id);
    expect(statusCommentOf(t, run)).toContain(
      "**Note:** `timeout: 2h` is above Ship's 30m limit; using 30m.",
    );
    const { rows } = await t.db.pool.query(
      "SELECT request->'settings' AS settings FROM runs WHERE (request->>'commentId')::bigint = $1",
      [comment.id],
    );
    expect(rows[0]?.settings).toMatchObject({
      timeoutMs: 30 * 60_000,
      notices: ["`timeout: 2h` is above Ship's 30m limit; using 30m."],
    });
  });

  const fileLink = () =>
    `Fix [the file](${t.world.github.url}/${repository}/blob/main/.github/ship.yml) on the default branch, then ask again.`;

  it.each([
    [
      "draft: yes please\n",
      'In `.github/ship.yml`, `draft` is "yes please"; expected true or false.',
    ],
    [
      "timeout: soon\n",
      'In `.github/ship.yml`, `timeout` is "soon"; expected a duration such as 20m, 90s or 1h.',
    ],
    [
      "modle: sim/write-readme\n",
      "In `.github/ship.yml`, `modle` is not a setting Ship knows; did you mean `model`?",
    ],
    [
      "model: [unclosed\n",
      "`.github/ship.yml` is not valid YAML at line 2, column 1: flow sequence in block collection must be sufficiently indented and end with a ].",
    ],
    [
      "timout: 20m\ndraft: maybe\nsetup: [42]\n",
      [
        "`.github/ship.yml` has 3 problems:",
        "- `timout` is not a setting Ship knows; did you mean `timeout`?",
        '- `draft` is "maybe"; expected true or false.',
        "- `setup` is [42]; expected a shell command or a list of them.",
      ].join("\n"),
    ],
  ])(
    "refuses a broken file (%j) with every problem and the file's link",
    async (text, expected) => {
      await shipYml(text);
      const { issue, comment } = askShip(t, "/ship add a README");
      const reply = await replyOn(issue.number, "Ship did not start");
      expect(reply.body).toContain(`Ship did not start: ${expected}\n\n${fileLink()}`);
      expect(reply.body).not.toMatch(/octokit-plugin-config|\/api\/v3|\/repos\//);
      const { rows } = await t.db.pool.query(
        "SELECT 1 FROM runs WHERE (request->>'commentId')::bigint = $1",
        [comment.id],
      );
      expect(rows).toEqual([]);
    },
  );
});
