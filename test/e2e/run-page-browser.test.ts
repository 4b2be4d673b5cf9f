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
const screenshots = path.join(artifacts, "screenshots");

/**
 * A person watches a run in a real browser: the page follows the run live over
 * Server-Sent Events (new log entries appear without a reload) and ends showing the
 * outcome with the pull request's link.
 */
describeNeeding("chromium", "the run page in a browser", () => {
  let t: TestShip;
  let context: BrowserContext;
  let profile: string;
  /** The run the first test watched to its end, for the screenshots. */
  let watched: number | undefined;

  beforeAll(async () => {
    t = await startTestShip();
    profile = mkdtempSync(path.join(tmpdir(), "ship-chromium-"));
    // As root, with the network closed: no sandbox, and none of Chromium's own traffic;
    // a fresh, empty profile.
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      viewport: { width: 1000, height: 900 },
      // Not UTC, so the pages show the local time beside UTC's.
      timezoneId: "Europe/Paris",
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
    await changelog.first().waitFor({ timeout: 90_000 });
    expect(await page.locator("#log > li").count()).toBeGreaterThan(loaded);
    await page.locator("#summary .state.succeeded").waitFor({ timeout: 60_000 });
    await page.locator("#live", { hasText: "The run has ended." }).waitFor();

    const run = await getRun(t.db.pool, runId);
    const pr = run?.result?.pullRequest;
    expect(pr).toBeDefined();
    const link = page.locator(`#summary .outcome a[href="${pr?.url}"]`);
    await expect(link.textContent()).resolves.toBe(`#${pr?.number}`);
    watched = runId;
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
  }, 240_000);

  it("reads well on a desktop, a phone and in dark mode: run page, history and home", async () => {
    if (!watched) throw new Error("the first test's run is needed");
    const runId = watched;
    const run = await getRun(t.db.pool, runId);
    const pr = run?.result?.pullRequest;
    mkdirSync(screenshots, { recursive: true });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(error.message));
    const pages = {
      run: `/runs/${runId}`,
      history: `/runs?repo=${encodeURIComponent(t.world.sample.repository)}`,
      home: "/",
    };
    const shots: string[] = [];
    const shoot = async (name: string) => {
      const file = path.join(screenshots, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      shots.push(file);
    };
    const noSidewaysScroll = () =>
      page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth");
    const views = [
      { name: "desktop", width: 1280, height: 900, colorScheme: "light" as const },
      { name: "phone", width: 390, height: 844, colorScheme: "light" as const },
      { name: "dark", width: 1280, height: 900, colorScheme: "dark" as const },
    ];
    for (const view of views) {
      await page.setViewportSize({ width: view.width, height: view.height });
      await page.emulateMedia({ colorScheme: view.colorScheme });

      await page.goto(`${t.config.publicUrl}${pages.run}`);
      // The summary card: the state, and the pull request one click away.
      const state = page.locator("#summary .card .state.succeeded");
      await expect(state.isVisible()).resolves.toBe(true);
      await expect(state.textContent()).resolves.toBe("Done");
      const button = page.locator("#summary .card a.button", { hasText: "View pull request" });
      await expect(button.isVisible()).resolves.toBe(true);
      expect(await button.getAttribute("href")).toBe(pr?.url);
      await expect(page.locator("#summary .card").textContent()).resolves.toMatch(
        /Took[\d.]+ s.*Cost\$0/s,
      );
      // Local time (Paris) beside UTC's, in the card and the timeline.
      await expect(page.locator("#summary .card .local").first().textContent()).resolves.toMatch(
        /· \d\d:\d\d:\d\d your time/,
      );
      // A file's diff opens with a click.
      const file = page.locator("#summary ul.files details", { hasText: "CHANGELOG.md" });
      await file.locator("summary").click();
      await expect(file.getAttribute("open")).resolves.toBe("");
      await expect(file.locator("pre.diff").isVisible()).resolves.toBe(true);
      await expect(file.locator("pre.diff").textContent()).resolves.toContain("+# Changelog");
      if (view.name === "phone") await expect(noSidewaysScroll()).resolves.toBe(true);
      if (view.name === "dark") {
        const background = await page.evaluate("getComputedStyle(document.body).backgroundColor");
        const [r = 255, g = 255, b = 255] = String(background).match(/\d+/g)?.map(Number) ?? [];
        expect(r + g + b).toBeLessThan(150);
      }
      await shoot(`run-page-${view.name}`);

      await page.goto(`${t.config.publicUrl}${pages.history}`);
      const pill = page.locator("table.runs .pill.succeeded").first();
      await expect(pill.isVisible()).resolves.toBe(true);
      await expect(page.locator("table.runs .local").first().textContent()).resolves.toContain(
        "your time",
      );
      await expect(page.locator("form.filters select[name=state]").isVisible()).resolves.toBe(true);
      const row = page.locator("table.runs tbody tr").first();
      const display = await page.evaluate(
        'getComputedStyle(document.querySelector("table.runs tbody tr")).display',
      );
      if (view.name === "phone") {
        // Cards: one block per run, no header row, nothing off-screen.
        expect(display).toBe("block");
        await expect(page.locator("table.runs thead").isVisible()).resolves.toBe(false);
        await expect(noSidewaysScroll()).resolves.toBe(true);
        // Each field says what it is, as the hidden header row did.
        await expect(
          page.evaluate(
            'getComputedStyle(document.querySelector("table.runs td[data-label=\'Asked by\']"), "::before").content',
          ),
        ).resolves.toMatch(/Asked by|attr\(data-label\)/);
        await expect(row.textContent()).resolves.toContain("@");
      } else {
        expect(display).toBe("table-row");
      }
      await shoot(`history-${view.name}`);

      await page.goto(`${t.config.publicUrl}${pages.home}`);
      await expect(page.locator("main").textContent()).resolves.toContain(
        t.world.sample.repository,
      );
      if (view.name === "phone") await expect(noSidewaysScroll()).resolves.toBe(true);
      await shoot(`home-${view.name}`);
    }
    process.stdout.write(`screenshots (CI artifacts):\n  ${shots.join("\n  ")}\n`);
    expect(problems).toEqual([]);
  }, 120_000);
});
