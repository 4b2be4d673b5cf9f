import { Writable } from "node:stream";
import { jest } from "@jest/globals";
import { Octokit } from "@octokit/rest";
import { pino } from "pino";
import { createTokenCipher } from "../../src/identity/create-token-cipher.js";
import { authorizeShipAs } from "../../src/sim/authorize-ship-as.js";
import { askShip } from "../helpers/ask-ship.js";
import { awaitRun } from "../helpers/await-run.js";
import { describeNeeding } from "../helpers/describe-needing.js";
import { startTestShip, type TestShip } from "../helpers/start-test-ship.js";

// End-to-end timing on a 2-core machine running two test files at once: one retry,
// with the first failure printed, so a scheduling hiccup does not fail the build.
jest.retryTimes(1, { logErrorsBeforeRetry: true });

/**
 * The agent runs code written from untrusted issue text, so nothing that can write to
 * GitHub, and none of Ship's own secrets, may be reachable in the sandbox. A scripted
 * hostile agent dumps its environment, git credentials and config, every process's
 * arguments and environment into a file; Ship commits and pushes it like any change.
 * No canary may appear in that file, in Ship's logs, or in any comment. It needs an
 * isolated sandbox, as E2B's microVMs are: an unisolated stand-in sandbox can read this
 * machine's processes' environments through /proc, Ship's and the stand-ins' included.
 */
describeNeeding("bubblewrap", "no secret enters the sandbox", () => {
  let t: TestShip;
  const logLines: string[] = [];
  const providerKey = "sk-provider-canary-5b1e0c9d2f7a";

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logLines.push(chunk.toString());
        done();
      },
    });
    // The model provider's key, as a canary: the sandbox calls Ship's gateway instead.
    t = await startTestShip(
      (world) => {
        const providers = JSON.parse(world.shipEnv.SHIP_PROVIDERS as string);
        providers.sim.options.apiKey = providerKey;
        return { SHIP_PROVIDERS: JSON.stringify(providers) };
      },
      { log: pino({ level: "debug" }, sink) },
    );
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("keeps tokens, keys and secrets out of the sandbox, the logs and the comments", async () => {
    const { repository, writer } = t.world.sample;
    await authorizeShipAs({ shipUrl: t.config.publicUrl, login: writer.login });
    const { issue, comment } = askShip(t, "/ship --model sim/dump-environment look around");
    const run = await awaitRun(t, comment.id);
    expect(run).toMatchObject({ state: "succeeded", actingLogin: writer.login });

    // What the agent saw, as pushed to GitHub.
    const [owner, repo] = repository.split("/") as [string, string];
    const octokit = new Octokit({ baseUrl: t.world.github.apiUrl, auth: writer.token });
    const file = await octokit.rest.repos.getContent({
      owner,
      repo,
      path: "leak-report.txt",
      ref: run.branch as string,
    });
    const report = Buffer.from((file.data as { content: string }).content, "base64").toString();
    // The dump really ran: it shows the sandbox's environment and processes.
    expect(report).toContain("## env");
    expect(report).toMatch(/PATH=/);
    expect(report).toMatch(/opencode/);

    // Every credential Ship holds, as canaries.
    const { rows } = await t.db.pool.query("SELECT access_token, refresh_token FROM user_tokens");
    const cipher = createTokenCipher(t.config.encryption.key as Buffer);
    const userTokens = rows.flatMap((row) => [
      cipher.decrypt(row.access_token),
      cipher.decrypt(row.refresh_token),
    ]);
    expect(userTokens.length).toBeGreaterThanOrEqual(4);
    const databasePassword = new URL(t.config.database.url as string).password;
    const keyLines = (t.config.app?.privateKey ?? "")
      .split("\n")
      .filter((line) => line.length > 40);
    const canaries: Record<string, string[]> = {
      "user tokens": userTokens,
      "the app's private key": keyLines,
      "the webhook secret": [t.config.app?.webhookSecret as string],
      "the encryption key": [
        (t.config.encryption.key as Buffer).toString("hex"),
        (t.config.encryption.key as Buffer).toString("base64"),
      ],
      "the client secret": [t.config.oauth?.clientSecret as string],
      "the database URL": [t.config.database.url as string, databasePassword].filter(Boolean),
      "the model provider's key": [providerKey],
    };
    for (const [what, values] of Object.entries(canaries)) {
      for (const value of values) {
        expect(value.length).toBeGreaterThan(8);
        expect([what, report.includes(value)]).toEqual([what, false]);
        expect([what, logLines.some((line) => line.includes(value))]).toEqual([what, false]);
        for (const posted of t.world.github.issueComments(repository, issue.number)) {
          expect([what, posted.body.includes(value)]).toEqual([what, false]);
        }
      }
    }
    expect(logLines.length).toBeGreaterThan(10);

    // The agent reached its model through Ship's gateway, with a token of this run's;
    // the provider got the real key from Ship.
    expect(report).toContain(`${t.config.publicUrl}/llm/runs/${run.id}/sim`);
    const turns = t.world.model.requests.filter((request) => request.kind === "turn");
    expect(turns.length).toBeGreaterThan(0);
    for (const turn of turns) expect(turn.headers.authorization).toBe(`Bearer ${providerKey}`);
  });
});
