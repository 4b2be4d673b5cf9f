import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { jest } from "@jest/globals";
import { type BrowserContext, chromium } from "playwright-core";
import { getRun } from "../../src/runs/get-run.js";
import { authorizeShipAs } from "../../src/sim/authorize-ship-as.js";
import { askShip } from "../helpers/ask-ship.js";
import { describeNeeding } from "../helpers/describe-needing.js";
import { chromiumPath } from "../helpers/missing-requirement.js";
import { startTestShip, type TestShip } from "../helpers/start-test-ship.js";
import { waitFor } from "../helpers/wait-for.js";

jest.retryTimes(1, { logErrorsBeforeRetry: true });

/** Where the screenshots are kept for CI to pick up as artifacts. */
const artifacts = path.resolve("test-results");

/**
 * A person watches a run in a real browser: the page follows the run live over
 * Server-Sent Events (new log entries appear without a reload) and ends showing the
 * outcome with the pull request's link.
 */
describeNeeding("chromium", "the run page in a browser", () => {
  let t: TestShip;
  let context: BrowserContext;
  let profile: string;

  beforeAll(async () => {
    t = await startTestShip();
    profile = mkdtempSync(path.join(tmpdir(), "ship-chromium-"));
    // As root, with the network closed: no sandbox, and none of Chromium's own traffic;
    // a fresh, empty profile.
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      viewport: { width: 1000, height: 900 },
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  });
  afterAll(async () => {
    await context?.close();
    await t?.stop();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it("shows events as they happen, then the final state with the pull request link", async () => {
    const { cookies } = await authorizeShipAs({
      shipUrl: t.config.publicUrl,
      login: t.world.sample.writer.login,
    });
    await context.addCookies(
      cookies.split("; ").map((pair) => {
        const [name = "", value = ""] = pair.split(/=(.*)/s);
        return { name, value, url: t.config.publicUrl };
      }),
    );
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(message.text());
    });

    const { comment } = askShip(t, "/ship --model sim/step-by-step add a README and a changelog");
    const runId = await waitFor("the run to reach the agent", async () => {
      const { rows } = await t.db.pool.query<{ id: number }>(
        "SELECT id::int AS id FROM runs WHERE (request->>'commentId')::bigint = $1 AND phase = 'agent'",
        [comment.id],
      );
      return rows[0]?.id;
    });

    await page.goto(`${t.config.publicUrl}/runs/${runId}`);
    expect(await page.title()).toContain(`Run ${runId}`);
    await expect(page.locator("#live").textContent()).resolves.toContain("Following the run live");
    await expect(page.locator(".state").textContent()).resolves.toContain("Running");
    const changelog = page.locator("#log li.tool", { hasText: "Writing CHANGELOG.md" });
    // Not there yet when the page loaded: the agent has not written it.
    expect(await changelog.count()).toBe(0);
    const loaded = await page.locator("#log > li").count();
    expect((await getRun(t.db.pool, runId))?.state).toBe("running");

    // Appears without a reload, as the agent works.
    await changelog.first().waitFor({ timeout: 30_000 });
    expect(await page.locator("#log > li").count()).toBeGreaterThan(loaded);
    await page.locator("#summary .state.succeeded").waitFor({ timeout: 30_000 });
    await page.locator("#live", { hasText: "The run has ended." }).waitFor();

    const run = await getRun(t.db.pool, runId);
    const pr = run?.result?.pullRequest;
    expect(pr).toBeDefined();
    const link = page.locator(`#summary a[href="${pr?.url}"]`);
    await expect(link.textContent()).resolves.toBe(`#${pr?.number}`);
    await expect(page.locator("#summary").textContent()).resolves.toContain("CHANGELOG.md");
    // Each tool call shows once: its "running" line gave way to how it ended.
    expect(await changelog.count()).toBe(1);
    expect(await changelog.getAttribute("class")).toBe("tool completed");
    // The Cancel button went with the run; no Retry for a run that succeeded.
    expect(await page.locator("button", { hasText: "Cancel run" }).count()).toBe(0);
    expect(await page.locator("button", { hasText: "Retry run" }).count()).toBe(0);
    // It was the same page all along: still the one loaded before the run ended.
    expect(page.url()).toBe(`${t.config.publicUrl}/runs/${runId}`);

    mkdirSync(artifacts, { recursive: true });
    const screenshot = path.join(artifacts, "run-page.png");
    await page.screenshot({ path: screenshot, fullPage: true });

    // Readable on a phone: nothing wider than the screen.
    await page.setViewportSize({ width: 375, height: 740 });
    const overflow = await page.evaluate(
      "document.documentElement.scrollWidth - document.documentElement.clientWidth",
    );
    expect(overflow).toBeLessThanOrEqual(0);
    const phone = path.join(artifacts, "run-page-phone.png");
    await page.screenshot({ path: phone, fullPage: true });
    process.stdout.write(`run page screenshots (CI artifacts): ${screenshot} ${phone}\n`);

    expect(problems).toEqual([]);
  });
});
