import { createHash } from "node:crypto";
import { jest } from "@jest/globals";
import { loadEncryptionKey } from "../../src/identity/load-encryption-key.js";
import { authorizeShipAs } from "../../src/sim/authorize-ship-as.js";
import { createSessionSigner } from "../../src/web/create-session-signer.js";
import { retryLink } from "../../src/web/retry-link.js";
import { askShip } from "../helpers/ask-ship.js";
import { awaitRun } from "../helpers/await-run.js";
import { startTestShip, type TestShip } from "../helpers/start-test-ship.js";
import { testLogger } from "../helpers/test-logger.js";

// End-to-end timing on a 2-core machine running two test files at once: one retry,
// with the first failure printed, so a scheduling hiccup does not fail the build.
jest.retryTimes(1, { logErrorsBeforeRetry: true });
jest.setTimeout(180_000);

/** The retry link in a failed run's status comment: sign in, permission check, confirm (POST + CSRF). */
describe("the retry link", () => {
  let t: TestShip;
  let link: string;
  let failedRunId: number;

  beforeAll(async () => {
    t = await startTestShip();
    const { repository } = t.world.sample;
    // The model server fails: a passing trouble, which a retry may get past.
    const { issue, comment } = askShip(t, "/ship --model sim/server-error add a README");
    const failed = await awaitRun(t, comment.id, 150_000);
    failedRunId = failed.id;
    const status = t.world.github
      .issueComments(repository, issue.number)
      .find((c) => c.body.includes(`<!-- ship:run:${failed.id} -->`));
    link = /\[retry here\]\(([^)]+)\)/.exec(status?.body ?? "")?.[1] ?? "";
  });
  afterAll(async () => {
    await t?.stop();
  });

  const path = () => link.slice(t.config.publicUrl.length);

  it("is in the failed run's status comment, and sends a visitor to sign in first", async () => {
    expect(link).toMatch(new RegExp(`^${t.config.publicUrl}/runs/${failedRunId}/retry\\?token=`));
    const response = await fetch(link, { redirect: "manual" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(
      `/auth/sign-in?return_to=${encodeURIComponent(path())}`,
    );
  });

  it("refuses a reader after sign-in", async () => {
    const { cookies } = await authorizeShipAs({
      shipUrl: t.config.publicUrl,
      login: t.world.sample.reader.login,
      returnTo: path(),
    });
    const page = await fetch(link, { headers: { cookie: cookies } });
    expect(page.status).toBe(403);
    expect(await page.text()).toContain("only people with write access");
  });

  it("never sends a signed-in person to another site", async () => {
    for (const returnTo of [
      "/\t/evil.example/phish",
      "//evil.example",
      "/\\evil.example",
      "https://evil.example",
    ]) {
      const { location } = await authorizeShipAs({
        shipUrl: t.config.publicUrl,
        login: t.world.sample.writer.login,
        returnTo,
      });
      expect([returnTo, location]).toEqual([returnTo, "/"]);
    }
    const home = await fetch(`${t.config.publicUrl}/`);
    expect(await home.text()).toContain("Ship turns a request on a GitHub issue");
  });

  it("refuses a tampered or foreign link", async () => {
    const { cookies } = await authorizeShipAs({
      shipUrl: t.config.publicUrl,
      login: t.world.sample.writer.login,
    });
    const tampered = link.replace(
      /token=([^&]+)/,
      (_m, token: string) => `token=${token.slice(0, -2)}xx`,
    );
    expect((await fetch(tampered, { headers: { cookie: cookies } })).status).toBe(410);
    const otherRun = link.replace(`/runs/${failedRunId}/`, `/runs/${failedRunId + 1000}/`);
    expect((await fetch(otherRun, { headers: { cookie: cookies } })).status).toBe(410);
  });

  it("lets a writer confirm with a POST, which needs the page's CSRF token, and retries once", async () => {
    const { location, cookies } = await authorizeShipAs({
      shipUrl: t.config.publicUrl,
      login: t.world.sample.writer.login,
      returnTo: path(),
    });
    expect(location).toBe(path());
    const page = await fetch(`${t.config.publicUrl}${location}`, { headers: { cookie: cookies } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<form method="post">');
    const field = (name: string) =>
      new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1] ?? "";

    const forged = await fetch(link, {
      method: "POST",
      headers: { cookie: cookies, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: field("token") }).toString(),
    });
    expect(forged.status).toBe(403);

    const confirmed = await fetch(link, {
      method: "POST",
      headers: { cookie: cookies, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: field("token"), csrf: field("csrf") }).toString(),
      redirect: "manual",
    });
    const { rows } = await t.db.pool.query(
      "SELECT id::int, requester_login, model FROM runs WHERE retry_of = $1",
      [failedRunId],
    );
    expect(rows).toEqual([
      {
        id: expect.any(Number),
        requester_login: t.world.sample.writer.login,
        model: "sim/server-error",
      },
    ]);
    // On to the new run's page.
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get("location")).toBe(`/runs/${rows[0].id}`);

    const again = await fetch(link, {
      method: "POST",
      headers: { cookie: cookies, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: field("token"), csrf: field("csrf") }).toString(),
    });
    expect(again.status).toBe(409);

    // The link, opened again, says what became of the run instead of offering it twice.
    const later = await fetch(link, { headers: { cookie: cookies } });
    expect(later.status).toBe(409);
    const page2 = await later.text();
    expect(page2).toContain(
      `Run ${failedRunId} was already retried as <a href="/runs/${rows[0].id}">run ${rows[0].id}</a>`,
    );
    expect(page2).not.toContain('<form method="post">');
  });

  it("says a retry would fail the same way for a failure only a changed request can fix, with no button", async () => {
    const { comment } = askShip(t, "/ship --model sim/bad-request add a README");
    const rejected = await awaitRun(t, comment.id, 150_000);
    expect(rejected.errorCategory).toBe("provider_rejected");
    const { cookies } = await authorizeShipAs({
      shipUrl: t.config.publicUrl,
      login: t.world.sample.writer.login,
    });
    // The link as Ship signs it (its comment may offer none for such a failure).
    const key = await loadEncryptionKey(
      t.config.encryption.key,
      t.config.database.dataDir,
      testLogger(),
    );
    const signer = createSessionSigner(
      createHash("sha256").update("ship-session").update(key).digest(),
    );
    const page = await fetch(retryLink(signer, t.config.publicUrl, rejected.id), {
      headers: { cookie: cookies },
    });
    const html = await page.text();
    expect(page.status).toBe(409);
    expect(html).toContain("A retry would fail the same way");
    expect(html).toContain("/ship retry --model provider/model");
    expect(html).not.toContain('<form method="post">');
  });
});
