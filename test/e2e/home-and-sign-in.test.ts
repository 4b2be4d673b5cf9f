import { jest } from "@jest/globals";
import { authorizeShipAs } from "../../src/sim/authorize-ship-as.js";
import { askShip } from "../helpers/ask-ship.js";
import { startTestShip, type TestShip } from "../helpers/start-test-ship.js";
import { waitFor } from "../helpers/wait-for.js";

// End-to-end timing on a shared 2-core machine: one retry, with the first failure printed.
jest.retryTimes(1, { logErrorsBeforeRetry: true });

/** Ship's own sign-in page, the "signed in as" header, sign-out and the home page, through the real server. */
describe("sign-in with consent, sign-out and the home page", () => {
  let t: TestShip;
  let privateRunId: number;
  let publicRunId: number;
  let secretRunId: number;
  const publicRepository = "acme/open-widgets";
  /** Private, and carol (a reader of the sample repository) has no access to it. */
  const secretRepository = "acme/secret-widgets";

  const url = (path: string) => `${t.config.publicUrl}${path}`;
  const get = (path: string, cookie?: string) =>
    fetch(url(path), { redirect: "manual", headers: cookie ? { cookie } : {} });
  /** The cookies a browser would send next, given a response's Set-Cookie headers. */
  const cookiesAfter = (response: Response, before = "") => {
    const jar = new Map(
      before
        .split("; ")
        .filter(Boolean)
        .map((pair) => [pair.split("=")[0] ?? "", pair] as const),
    );
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(";")[0] ?? "";
      const name = pair.split("=")[0] ?? "";
      if (/Max-Age=0/i.test(line)) jar.delete(name);
      else jar.set(name, pair);
    }
    return [...jar.values()].join("; ");
  };

  beforeAll(async () => {
    t = await startTestShip({ SHIP_INSTALLER_STANDS_IN: "on" });
    t.world.github.createUser({ login: "dave" });
    const writer = t.world.sample.writer.login;
    await t.world.github.createRepository({ owner: "acme", name: "open-widgets", private: false });
    await t.world.github.createRepository({ owner: "acme", name: "secret-widgets", private: true });
    t.world.github.addCollaborator(publicRepository, writer, "write");
    t.world.github.addCollaborator(secretRepository, writer, "write");
    const asked = askShip(t, "/ship add a README");
    const secret = askShip(t, "/ship add a secret plan", writer, secretRepository);
    const open = askShip(t, "/ship add a licence", writer, publicRepository);
    // The home page shows a repository's newest run in whatever state it is: the runs
    // need only exist (the agent's work is other tests' business).
    const runOf = (commentId: number) =>
      waitFor("Ship to take the request", async () => {
        const { rows } = await t.db.pool.query<{ id: number }>(
          "SELECT id::int AS id FROM runs WHERE (request->>'commentId')::bigint = $1",
          [commentId],
        );
        return rows[0]?.id;
      });
    privateRunId = await runOf(asked.comment.id);
    secretRunId = await runOf(secret.comment.id);
    publicRunId = await runOf(open.comment.id);
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
  });

  it("says why one signs in and what authorizing changes before sending anyone to GitHub", async () => {
    // A private run's page sends an anonymous visitor to Ship's sign-in page, not to GitHub.
    const hidden = await get(`/runs/${privateRunId}`);
    expect(hidden.status).toBe(302);
    expect(hidden.headers.get("location")).toBe(
      `/auth/sign-in?return_to=${encodeURIComponent(`/runs/${privateRunId}`)}`,
    );
    const page = await get(
      `/auth/sign-in?return_to=${encodeURIComponent(`/runs/${privateRunId}`)}`,
    );
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    const html = await page.text();
    expect(html).toContain("Sign in with GitHub to see this run.");
    expect(html).toContain(
      `Authorizing also lets Ship open pull requests and push commits in your name when you ask it to, instead of in @${t.world.sample.installer}'s name.`,
    );
    expect(html).toContain(
      `You can revoke this any time in GitHub's settings (<a href="${t.config.githubUrl}/settings/apps/authorizations">Applications</a>).`,
    );
    // The button goes on to Ship's login, which alone redirects to GitHub.
    expect(html).toContain(
      `<a class="button primary" href="/auth/login?return_to=${encodeURIComponent(`/runs/${privateRunId}`)}">Continue to GitHub</a>`,
    );
    expect(html).toContain('<a href="/" class="home"><strong>Ship</strong></a>');
    expect(html).toContain(">Sign in</a>");
  });

  it("greets once after the callback with whose name pull requests now carry, and every page says who is signed in", async () => {
    const reader = t.world.sample.reader.login;
    const { location, cookies } = await authorizeShipAs({
      shipUrl: t.config.publicUrl,
      login: reader,
      returnTo: "/",
    });
    expect(location).toBe("/");
    const landed = await get("/", cookies);
    const html = await landed.text();
    expect(html).toContain(
      `You are signed in as @${reader}; Ship will now open pull requests you ask for in your name.`,
    );
    expect(html).toContain(
      `Signed in as <strong>@${reader}</strong> · <a href="/auth/sign-out?return_to=%2F">Sign out</a>`,
    );
    // Shown once: the page cleared the notice, so the next view has only the header.
    const next = await get("/", cookiesAfter(landed, cookies));
    const again = await next.text();
    expect(again).not.toContain("You are signed in as");
    expect(again).toContain(`Signed in as <strong>@${reader}</strong>`);
  });

  it("lands back on the run's page with the notice, and the run page and history show who is signed in", async () => {
    const writer = t.world.sample.writer.login;
    const { location, cookies } = await authorizeShipAs({
      shipUrl: t.config.publicUrl,
      login: writer,
      returnTo: `/runs/${publicRunId}`,
    });
    expect(location).toBe(`/runs/${publicRunId}`);
    const runPage = await (await get(location, cookies)).text();
    expect(runPage).toContain(`You are signed in as @${writer}; Ship will now open pull requests`);
    expect(runPage).toContain(`Signed in as <strong>@${writer}</strong>`);
    expect(runPage).toContain('<a href="/" class="home">');
    const history = await (
      await get(`/runs?repo=${encodeURIComponent(publicRepository)}`, cookies)
    ).text();
    expect(history).toContain(
      `Signed in as <strong>@${writer}</strong> · <a href="/auth/sign-out?return_to=${encodeURIComponent(`/runs?repo=${encodeURIComponent(publicRepository)}`)}">Sign out</a>`,
    );
    // Anonymous visitors of a public run get Ship's sign-in link in the header.
    expect(await (await get(`/runs/${publicRunId}`)).text()).toContain(
      `<a href="/auth/sign-in?return_to=${encodeURIComponent(`/runs/${publicRunId}`)}">Sign in</a>`,
    );
  });

  it("signs out with the confirm page's form only, says the GitHub authorization stays, and clears the header", async () => {
    const writer = t.world.sample.writer.login;
    const { cookies } = await authorizeShipAs({ shipUrl: t.config.publicUrl, login: writer });
    for (const path of ["/auth/logout", "/auth/sign-out?return_to=%2F"]) {
      const confirm = await (await get(path, cookies)).text();
      expect(confirm).toContain("Sign out of Ship?");
      expect(confirm).toContain("Signing out does not revoke Ship's authorization on GitHub");
      expect(confirm).toContain(`${t.config.githubUrl}/settings/apps/authorizations`);
    }
    const confirm = await (await get("/auth/sign-out?return_to=%2F", cookies)).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(confirm)?.[1] ?? "";
    const post = (csrfValue: string) =>
      fetch(url("/auth/sign-out"), {
        method: "POST",
        redirect: "manual",
        headers: { cookie: cookies, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ csrf: csrfValue, return_to: "/" }).toString(),
      });
    expect((await post("forged")).status).toBe(403);
    const out = await post(csrf);
    expect(out.status).toBe(303);
    expect(out.headers.get("location")).toBe("/");
    const after = cookiesAfter(out, cookies);
    expect(after).not.toContain("ship_session=");
    const home = await (await get("/", after)).text();
    expect(home).toContain("You are signed out of Ship&#39;s pages.");
    expect(home).not.toContain("Signed in as");
    expect(home).toContain('<a href="/auth/sign-in?return_to=%2F">Sign in</a>');
  });

  it("lists a writer's repositories with their latest run and history link, and says how to start", async () => {
    const { cookies } = await authorizeShipAs({
      shipUrl: t.config.publicUrl,
      login: t.world.sample.writer.login,
    });
    const page = await get("/", cookies);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("comment <code>/ship &#60;task&#62;</code> on an issue");
    for (const [repository, runId] of [
      [t.world.sample.repository, privateRunId],
      [secretRepository, secretRunId],
      [publicRepository, publicRunId],
    ] as const) {
      expect(html).toContain(
        `<a href="/runs?repo=${encodeURIComponent(repository)}">${repository}</a>`,
      );
      expect(html).toContain(`<a href="/runs/${runId}">Run ${runId}</a>`);
    }
    expect(html).toMatch(
      /<span class="pill \w+">[^<]+<\/span><br>add a README <small>\(#\d+, @bob\)<\/small>/,
    );
    // The most recently active repository first.
    const newestFirst = [
      [t.world.sample.repository, privateRunId],
      [secretRepository, secretRunId],
      [publicRepository, publicRunId],
    ]
      .sort((a, b) => Number(b[1]) - Number(a[1]))
      .map(([repository]) => html.indexOf(`>${repository}</a>`));
    expect(newestFirst).toEqual([...newestFirst].sort((a, b) => a - b));
  });

  it("never shows a private repository to an anonymous visitor or a signed-in person without access", async () => {
    const signIn = async (login: string) =>
      (await authorizeShipAs({ shipUrl: t.config.publicUrl, login })).cookies;
    const carol = await signIn(t.world.sample.reader.login);
    const dave = await signIn("dave");
    const visible = async (cookie: string | undefined) => {
      const page = await get("/", cookie);
      expect(page.status).toBe(200);
      const html = await page.text();
      return {
        html,
        repositories: [publicRepository, secretRepository, t.world.sample.repository].filter(
          (repository) => html.includes(`>${repository}</a>`),
        ),
      };
    };
    // carol reads the sample repository, not the secret one; dave and anonymous read neither.
    const asCarol = await visible(carol);
    expect(asCarol.repositories).toEqual([publicRepository, t.world.sample.repository]);
    expect(asCarol.html).toContain(`<a href="/runs/${privateRunId}">`);
    for (const html of [
      asCarol.html,
      (await visible(dave)).html,
      (await visible(undefined)).html,
    ]) {
      expect(html).toContain(`<a href="/runs/${publicRunId}">`);
      expect(html).not.toContain(secretRepository);
      expect(html).not.toContain(`/runs/${secretRunId}"`);
      expect(html).not.toContain("add a secret plan");
    }
    for (const cookie of [dave, undefined]) {
      const { html, repositories } = await visible(cookie);
      expect(repositories).toEqual([publicRepository]);
      expect(html).not.toContain(`/runs/${privateRunId}"`);
      expect(html).not.toContain("<br>add a README");
    }
    // `/runs` without a repository points home instead of asking to type a URL.
    expect(await (await get("/runs")).text()).toContain(
      `Pick one on <a href="/">Ship's home page</a>, which lists the repositories you can see`,
    );
    const anonymous = await (await get("/")).text();
    expect(anonymous).toContain("to see the private repositories you can read.");
  });
});
