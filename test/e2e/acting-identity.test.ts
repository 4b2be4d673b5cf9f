import { jest } from "@jest/globals";
import { Octokit } from "@octokit/rest";
import { Sandbox } from "e2b";
import { sandboxConnection } from "../../src/sandbox/sandbox-settings.js";
import { authorizeShipAs } from "../../src/sim/authorize-ship-as.js";
import { askShip } from "../helpers/ask-ship.js";
import { awaitRun } from "../helpers/await-run.js";
import { startTestShip, type TestShip } from "../helpers/start-test-ship.js";
import { waitFor } from "../helpers/wait-for.js";

// End-to-end timing on a 2-core machine running two test files at once: one retry,
// with the first failure printed, so a scheduling hiccup does not fail the build.
jest.retryTimes(1, { logErrorsBeforeRetry: true });

/** Whom a run acts as, end to end: PR author, commit author, the status comment. */
describe("runs act as a person", () => {
  describe("with the installer authorized and standing in (SHIP_INSTALLER_STANDS_IN=on)", () => {
    let t: TestShip;
    beforeAll(async () => {
      t = await startTestShip({ SHIP_INSTALLER_STANDS_IN: "on" }, { authorizeWriter: false });
    });
    afterAll(async () => {
      await t?.stop();
    });

    const ask = (author: string) => askShip(t, "/ship add a README", author);

    async function headCommit(branch: string) {
      const [owner, repo] = t.world.sample.repository.split("/") as [string, string];
      const octokit = new Octokit({
        baseUrl: t.world.github.apiUrl,
        auth: t.world.sample.writer.token,
      });
      const head = (await octokit.rest.git.getRef({ owner, repo, ref: `heads/${branch}` })).data
        .object.sha;
      return (await octokit.rest.git.getCommit({ owner, repo, commit_sha: head })).data;
    }

    it("acts as the installer when the requester has not authorized Ship, crediting the requester", async () => {
      const { installer, writer } = t.world.sample;
      const { issue, comment } = ask(writer.login);
      const run = await awaitRun(t, comment.id);
      expect(run).toMatchObject({ state: "succeeded", actingLogin: installer });
      const pr = await t.world.github.pullRequest(
        t.world.sample.repository,
        run.prNumber as number,
      );
      expect(pr.author).toBe(installer);
      const commit = await headCommit(run.branch as string);
      expect(commit.author.name).toBe(installer);
      expect(commit.author.email).toMatch(
        new RegExp(`^\\d+\\+${installer}@users\\.noreply\\.127\\.0\\.0\\.1$`),
      );
      expect(commit.message).toContain(`Co-authored-by: ${writer.login} <`);
      const status = t.world.github
        .issueComments(t.world.sample.repository, issue.number)
        .find((c) => c.body.includes(`<!-- ship:run:${run.id} -->`));
      // Why, and how to have pull requests in one's own name.
      expect(status?.body).toContain(
        `acting as @${installer} (@${writer.login} has not authorized Ship: [authorize](${t.config.publicUrl}/auth/sign-in) to have pull requests in your name)`,
      );
    });

    it("acts as the requester once they have authorized Ship", async () => {
      const { writer } = t.world.sample;
      await authorizeShipAs({ shipUrl: t.config.publicUrl, login: writer.login });
      const { comment } = ask(writer.login);
      const run = await awaitRun(t, comment.id);
      expect(run).toMatchObject({ state: "succeeded", actingLogin: writer.login });
      const pr = await t.world.github.pullRequest(
        t.world.sample.repository,
        run.prNumber as number,
      );
      expect(pr.author).toBe(writer.login);
      const commit = await headCommit(run.branch as string);
      expect(commit.author.name).toBe(writer.login);
      expect(commit.message).not.toContain("Co-authored-by");
    });

    it("refreshes a token that is about to expire and still pushes", async () => {
      const { writer } = t.world.sample;
      await authorizeShipAs({ shipUrl: t.config.publicUrl, login: writer.login });
      const before = await t.db.pool.query(
        "SELECT access_token FROM user_tokens WHERE login = $1",
        [writer.login],
      );
      await t.db.pool.query(
        "UPDATE user_tokens SET access_expires_at = now() + interval '1 minute' WHERE login = $1",
        [writer.login],
      );
      const { comment } = ask(writer.login);
      const run = await awaitRun(t, comment.id);
      expect(run).toMatchObject({ state: "succeeded", actingLogin: writer.login });
      const after = await t.db.pool.query(
        "SELECT access_token, access_expires_at FROM user_tokens WHERE login = $1",
        [writer.login],
      );
      expect(after.rows[0].access_token).not.toBe(before.rows[0].access_token);
      expect(after.rows[0].access_expires_at.getTime()).toBeGreaterThan(Date.now() + 3_600_000);
    });

    it("forgets a person who revokes Ship, and acts as the installer again", async () => {
      const { writer, installer } = t.world.sample;
      await authorizeShipAs({ shipUrl: t.config.publicUrl, login: writer.login });
      t.world.github.revokeUserAuthorization(t.world.app.id, writer.login);
      await waitFor("the tokens to be forgotten", async () => {
        const { rows } = await t.db.pool.query("SELECT 1 FROM user_tokens WHERE login = $1", [
          writer.login,
        ]);
        return rows.length === 0;
      });
      const { comment } = ask(writer.login);
      const run = await awaitRun(t, comment.id);
      expect(run).toMatchObject({ state: "succeeded", actingLogin: installer });
    });
  });

  describe("with the installer authorized but not standing in (the default)", () => {
    let t: TestShip;
    beforeAll(async () => {
      // Off is the default; said here so a test helper's default cannot change this test.
      t = await startTestShip({ SHIP_INSTALLER_STANDS_IN: "off" }, { authorizeWriter: false });
    });
    afterAll(async () => {
      await t?.stop();
    });

    it("a requester who never authorized Ship: stops before any sandbox with an Authorize Ship link; after authorizing, /ship retry opens the PR", async () => {
      const { repository, writer } = t.world.sample;
      const { issue, comment } = askShip(t, "/ship add a README");
      const failed = await awaitRun(t, comment.id);
      expect(failed).toMatchObject({
        state: "failed",
        errorCategory: "authorization",
        sandboxId: null,
      });
      const status = t.world.github
        .issueComments(repository, issue.number)
        .find((c) => c.body.includes(`<!-- ship:run:${failed.id} -->`));
      expect(status?.body).toContain(`[Authorize Ship](${t.config.publicUrl}/auth/sign-in)`);
      expect(status?.body).toContain("has not authorized Ship yet");
      expect(status?.body).toContain(`as @${writer.login}, then comment \`/ship retry\``);
      // The advice says the retry; the hint adds only its link, so it is said once.
      expect(status?.body.match(/`\/ship retry`/g)).toHaveLength(1);
      expect(status?.body).toMatch(/Or \[retry here\]\(http[^)]+\)\./);
      expect(failed.actingLogin).toBeNull();
      const sandboxes = await Sandbox.list({
        ...sandboxConnection(t.config.sandbox),
        query: { metadata: { shipRunId: String(failed.id) } },
      }).nextItems();
      expect(sandboxes).toEqual([]);
      const { rows } = await t.db.pool.query(
        "SELECT count(*)::int AS n FROM run_events WHERE run_id = $1 AND data->>'phase' = 'sandbox'",
        [failed.id],
      );
      expect(rows[0]).toEqual({ n: 0 });

      await authorizeShipAs({ shipUrl: t.config.publicUrl, login: writer.login });
      const retry = t.world.github.createIssueComment({
        repository,
        issueNumber: issue.number,
        author: writer.login,
        body: "/ship retry",
      });
      const again = await awaitRun(t, retry.id);
      expect(again).toMatchObject({
        state: "succeeded",
        actingLogin: writer.login,
        retryOf: failed.id,
      });
      const pr = await t.world.github.pullRequest(repository, again.prNumber as number);
      expect(pr.author).toBe(writer.login);
    });
  });
});
