import { jest } from "@jest/globals";
import { getRun } from "../../src/runs/get-run.js";
import type { Run } from "../../src/runs/run.js";
import { authorizeShipAs } from "../../src/sim/authorize-ship-as.js";
import { askShip } from "../helpers/ask-ship.js";
import { awaitRun } from "../helpers/await-run.js";
import { startTestShip, type TestShip } from "../helpers/start-test-ship.js";
import { waitFor } from "../helpers/wait-for.js";

// End-to-end timing on a 2-core machine running two test files at once: one retry,
// with the first failure printed, so a scheduling hiccup does not fail the build.
jest.retryTimes(1, { logErrorsBeforeRetry: true });

/** A run's page, `/runs?repo=` and the live stream, through Ship's real HTTP server. */
describe("the run page", () => {
  let t: TestShip;
  let done: Run;
  let cookies: { reader: string; writer: string; outsider: string };

  const url = (path: string) => `${t.config.publicUrl}${path}`;
  const get = (path: string, cookie?: string) =>
    fetch(url(path), { redirect: "manual", headers: cookie ? { cookie } : {} });
  const post = (path: string, cookie: string, form: Record<string, string>) =>
    fetch(url(path), {
      method: "POST",
      redirect: "manual",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
    });
  const field = (html: string, action: string, name: string) =>
    new RegExp(
      `action="${action}">(?:<input [^>]*>)*?<input type="hidden" name="${name}" value="([^"]+)"`,
    ).exec(html)?.[1] ?? "";
  const signIn = async (login: string) =>
    (await authorizeShipAs({ shipUrl: t.config.publicUrl, login })).cookies;

  beforeAll(async () => {
    t = await startTestShip();
    t.world.github.createUser({ login: "dave" });
    cookies = {
      reader: await signIn(t.world.sample.reader.login),
      writer: await signIn(t.world.sample.writer.login),
      outsider: await signIn("dave"),
    };
    const { comment } = askShip(t, "/ship --model sim/step-by-step add a README and a changelog");
    // OpenCode's start-up on a loaded machine can take most of a minute.
    done = await awaitRun(t, comment.id, 150_000);
  }, 180_000);
  afterAll(async () => {
    await t?.stop();
  });

  it("is linked from the status comment", () => {
    const status = t.world.github
      .issueComments(t.world.sample.repository, done.threadNumber)
      .find((c) => c.body.includes(`<!-- ship:run:${done.id} -->`));
    expect(status?.body).toContain(`[run log](${t.config.publicUrl}/runs/${done.id})`);
  });

  it("sends an anonymous visitor of a private repository to sign in, and shows nothing", async () => {
    const page = await get(`/runs/${done.id}`);
    expect(page.status).toBe(302);
    expect(page.headers.get("location")).toBe(
      `/auth/sign-in?return_to=${encodeURIComponent(`/runs/${done.id}`)}`,
    );
    expect((await get(`/runs/${done.id}/events`)).status).toBe(404);
    const history = await get(`/runs?repo=${t.world.sample.repository}`);
    expect(history.status).toBe(302);
  });

  it("shows a public repository's run to anyone, with a sign-in link instead of buttons", async () => {
    const repository = "acme/public-widgets";
    // Made once, even when jest runs this test again.
    await t.world.github
      .createRepository({ owner: "acme", name: "public-widgets", private: false })
      .catch(() => {});
    t.world.github.addCollaborator(repository, t.world.sample.writer.login, "write");
    const { comment } = askShip(t, "/ship add a README", t.world.sample.writer.login, repository);
    const runId = await waitFor(
      "the public repository's run to end",
      async () => {
        const { rows } = await t.db.pool.query<{ id: number }>(
          "SELECT id::int AS id FROM runs WHERE (request->>'commentId')::bigint = $1 AND state = 'succeeded'",
          [comment.id],
        );
        return rows[0]?.id;
      },
      150_000,
    );
    const page = await get(`/runs/${runId}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('class="state succeeded"');
    expect(html).toContain(`/auth/sign-in?return_to=${encodeURIComponent(`/runs/${runId}`)}`);
    expect(html).not.toContain("<button");
    expect((await get(`/runs?repo=${repository}`)).status).toBe(200);
  }, 180_000);

  it("shows nothing to a signed-in person without access to the repository", async () => {
    const page = await get(`/runs/${done.id}`, cookies.outsider);
    expect(page.status).toBe(404);
    expect(await page.text()).not.toContain("add a README and a changelog");
    expect((await get(`/runs?repo=${t.world.sample.repository}`, cookies.outsider)).status).toBe(
      404,
    );
  });

  it("shows a reader the request, people, model, timeline, log, files, usage and PR, without buttons", async () => {
    const page = await get(`/runs/${done.id}`, cookies.reader);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("script-src 'nonce-");
    const html = await page.text();
    const pr = done.result?.pullRequest;
    expect(pr).toBeDefined();
    expect(html).toContain("add a README and a changelog");
    expect(html).toContain(`@${t.world.sample.writer.login}`); // asked by
    expect(html).toMatch(/Acting as<\/dt><dd>@\w+/);
    expect(html).toContain("<code>sim/step-by-step</code>");
    for (const phase of ["Starting the sandbox", "Cloning the repository", "Agent at work"]) {
      expect(html).toContain(`<td>${phase}</td>`);
    }
    // Each tool call once, as it ended.
    expect(html.match(/Writing <code>README.md<\/code>/g)).toHaveLength(1);
    expect(html).toContain('class="tool completed"');
    expect(html).toContain("Writing <code>CHANGELOG.md</code>");
    expect(html).toContain("Start a changelog"); // the todo list
    expect(html).toContain("Add a README and start a changelog"); // the agent's message
    // The scripted model's usage: 1,200 + 1,300 + 1,400 + 1,500 uncached in (plus 3,500
    // from cache), 162 out; counted as the status comment counts it.
    const tokens = "8,900 tokens in (3,500 from cache), 162 out";
    expect(html).toContain(`<dt>Tokens</dt><dd class="usage">${tokens}</dd>`);
    const status = t.world.github
      .issueComments(t.world.sample.repository, done.threadNumber)
      .find((c) => c.body.includes(`<!-- ship:run:${done.id} -->`));
    expect(status?.body).toContain(tokens);
    // The local world's model is priced at nothing.
    expect(html).toContain("$0 (<code>sim/step-by-step</code> is priced at nothing)");
    expect(html).toMatch(/<dt>Took<\/dt><dd>(\d+ min )?[\d.]+ s<\/dd>/);
    expect(html).toContain(`<a href="${pr?.url}">#${pr?.number}</a>`);
    expect(html).toContain(`<a class="button primary" href="${pr?.url}">View pull request</a>`);
    // The Log leaves the phases to the Timeline.
    expect(html).not.toMatch(/<li class="phase"[^>]*>.*Cloning the repository/);
    expect(html).not.toContain("Run started");
    expect(html).toContain("<h2>The agent's last plan</h2>");
    expect(html).not.toContain("/cancel");
    expect(html).not.toContain(`action="/runs/${done.id}/retry"`);
    // An ended run's page does not follow a live stream.
    expect(html).not.toContain("new EventSource");
  });

  it("shows the branch's diff from GitHub: each file's +/- counts and its patch, collapsed", async () => {
    const html = await (await get(`/runs/${done.id}`, cookies.reader)).text();
    // The scripted agent wrote "# Changelog\n" to a new CHANGELOG.md.
    expect(html).toMatch(
      /<details id="file-\d+"><summary><code>CHANGELOG.md<\/code> <span class="add" aria-label="1 added">\+1<\/span> <span class="del" aria-label="0 removed">−0<\/span><\/summary><pre class="diff"><span class="h">@@ -0,0 \+1 @@<\/span><span class="a">\+# Changelog<\/span>/,
    );
    expect(html).toMatch(/<p class="diffstat">2 files, <span class="add">\+\d+<\/span>/);
    expect(html).toContain("<summary><code>README.md</code>");
  });

  it("lets a writer cancel a running run from its page (with the page's CSRF token only)", async () => {
    const { comment } = askShip(t, "/ship --model sim/stall add a README");
    const running = await waitFor(
      "the run to reach the agent",
      async () => {
        const { rows } = await t.db.pool.query<{ id: number }>(
          "SELECT id::int AS id FROM runs WHERE (request->>'commentId')::bigint = $1 AND phase = 'agent'",
          [comment.id],
        );
        return rows[0]?.id;
      },
      120_000,
    );
    const readerView = await (await get(`/runs/${running}`, cookies.reader)).text();
    expect(readerView).toContain("new EventSource"); // follows the run live
    // The stalled agent has said nothing yet: the page says it is starting, and counts.
    expect(readerView).toMatch(
      /<li class="starting" id="starting" data-since="[^"]+">Starting the agent… <span class="seconds"><\/span><\/li>/,
    );
    expect(readerView).toMatch(/<dt>Running for<\/dt><dd><span class="elapsed" data-since=/);
    expect(readerView).not.toContain("Cancel run");

    const html = await (await get(`/runs/${running}`, cookies.writer)).text();
    expect(html).toContain("Cancel run");
    const csrf = field(html, `/runs/${running}/cancel`, "csrf");
    expect(csrf).not.toBe("");
    // Not from the page: refused, and the run goes on.
    expect((await post(`/runs/${running}/cancel`, cookies.writer, {})).status).toBe(403);
    // The reader cannot use the writer's token.
    expect((await post(`/runs/${running}/cancel`, cookies.reader, { csrf })).status).toBe(403);
    expect((await getRun(t.db.pool, running))?.state).toBe("running");

    const cancelled = await post(`/runs/${running}/cancel`, cookies.writer, { csrf });
    expect(cancelled.status).toBe(303);
    expect(cancelled.headers.get("location")).toBe(`/runs/${running}`);
    const ended = await waitFor(
      "the sandbox to be released",
      async () => {
        const run = await getRun(t.db.pool, running);
        return run?.state === "cancelled" && run.sandboxId === null ? run : undefined;
      },
      120_000,
    );
    expect(ended.errorMessage).toBe(`Cancelled by @${t.world.sample.writer.login}.`);
    const after = await (await get(`/runs/${running}`, cookies.writer)).text();
    expect(after).toContain('<p class="state cancelled" role="status">Cancelled</p>');
    expect(after).not.toContain("Starting the agent");
    expect(after).toContain("Retry run");
  }, 180_000);

  it("lets a writer retry a failed run from its page, and goes on to the new run's page", async () => {
    // A model server that fails: worth retrying (a rejected request would not be).
    const { comment } = askShip(t, "/ship --model sim/server-error add a README");
    const failed = await awaitRun(t, comment.id, 150_000);
    expect(failed.state).toBe("failed");
    const html = await (await get(`/runs/${failed.id}`, cookies.writer)).text();
    expect(html).toContain("Retry run");
    // The failure in plain words, and what to do, as the status comment says it.
    expect(html).toContain('<p class="state failed" role="status">Failed</p>');
    expect(html).toContain('<p class="what-to-do"><strong>What to do:</strong> ');
    const action = `/runs/${failed.id}/retry`;
    const retried = await post(action, cookies.writer, {
      token: field(html, action, "token"),
      csrf: field(html, action, "csrf"),
    });
    expect(retried.status).toBe(303);
    const { rows } = await t.db.pool.query<{ id: number }>(
      "SELECT id::int AS id FROM runs WHERE retry_of = $1",
      [failed.id],
    );
    expect(retried.headers.get("location")).toBe(`/runs/${rows[0]?.id}`);
    const next = await (await get(`/runs/${rows[0]?.id}`, cookies.writer)).text();
    expect(next).toContain(`<a href="/runs/${failed.id}">run ${failed.id}</a>`); // retry of
  }, 180_000);

  it("streams the log as Server-Sent Events, resuming after Last-Event-ID, and ends with the run", async () => {
    const { rows: all } = await t.db.pool.query<{ id: number; kind: string }>(
      "SELECT id::int AS id, kind FROM run_events WHERE run_id = $1 ORDER BY id",
      [done.id],
    );
    const middle = all[Math.floor(all.length / 2)]?.id ?? 0;
    // The phases are the Timeline's (in the summary), not log entries.
    const rows = all.filter((row) => row.kind !== "phase" && row.kind !== "run.started");
    expect(rows.length).toBeLessThan(all.length);
    const response = await fetch(url(`/runs/${done.id}/events`), {
      headers: { cookie: cookies.reader, "last-event-id": String(middle) },
    });
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const text = await response.text(); // the stream ends with the (ended) run
    const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids).toEqual(rows.map((r) => r.id).filter((id) => id > middle));
    expect(text).toContain("event: summary");
    expect(text.trimEnd().endsWith("event: end\ndata: succeeded")).toBe(true);
  });

  it("pages back through a long log", async () => {
    await t.db.pool.query(
      `INSERT INTO run_events (run_id, kind, data)
       SELECT $1, 'agent.message', jsonb_build_object('text', 'note ' || n) FROM generate_series(1, 450) n`,
      [done.id],
    );
    const newest = await (await get(`/runs/${done.id}`, cookies.reader)).text();
    expect(newest.match(/<li class="message"/g)).toHaveLength(200);
    expect(newest).toContain("note 450");
    expect(newest).not.toContain("note 250<");
    const earlier = /<a href="([^"]+)">Earlier events<\/a>/.exec(newest)?.[1] ?? "";
    expect(earlier).toMatch(new RegExp(`^/runs/${done.id}\\?before=\\d+$`));
    const older = await (await get(earlier, cookies.reader)).text();
    expect(older).toContain("note 250<");
    expect(older).not.toContain("note 251<");
    expect(older).toContain("Latest events");
  });

  it("lists a repository's runs, newest first, 25 to a page", async () => {
    // Thirty more runs like the finished one, so the history has two pages.
    await t.db.pool.query(
      `INSERT INTO runs (installation_id, repository_id, repository, thread_number, trigger,
         requester_login, requester_id, request, state, phase)
       SELECT installation_id, repository_id, repository, thread_number, trigger, requester_login,
         requester_id, request, 'succeeded', 'succeeded' FROM runs, generate_series(1, 30)
       WHERE id = $1`,
      [done.id],
    );
    const { rows } = await t.db.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM runs WHERE repository = $1",
      [t.world.sample.repository],
    );
    const total = rows[0]?.n ?? 0;
    const first = await get(`/runs?repo=${t.world.sample.repository}`, cookies.reader);
    expect(first.status).toBe(200);
    const html = await first.text();
    const shown = [...html.matchAll(/<td data-label="Run"><a href="\/runs\/(\d+)">/g)].map((m) =>
      Number(m[1]),
    );
    expect(shown).toHaveLength(25);
    expect(shown).toEqual([...shown].sort((a, b) => b - a));
    const older = /<a href="([^"]+)">Older runs<\/a>/.exec(html)?.[1]?.replaceAll("&#38;", "&");
    const rest = await (await get(older ?? "", cookies.reader)).text();
    const more = [...rest.matchAll(/<td data-label="Run"><a href="\/runs\/(\d+)">/g)].map((m) =>
      Number(m[1]),
    );
    expect(more).toHaveLength(total - 25);
    expect(rest).toContain(`<a href="${done.result?.pullRequest?.url}">#`); // the real run's PR
    expect(Math.max(...more)).toBeLessThan(Math.min(...shown));
  });

  it("narrows the history by state, person and trigger, and refuses filters it does not know", async () => {
    const repo = t.world.sample.repository;
    const ids = (html: string) =>
      [...html.matchAll(/<td data-label="Run"><a href="\/runs\/(\d+)">/g)].map((m) => Number(m[1]));
    // One failed run, asked by label by @carol, among the others.
    await t.db.pool.query(
      `INSERT INTO runs (installation_id, repository_id, repository, thread_number, trigger,
         requester_login, requester_id, request, state, phase)
       SELECT installation_id, repository_id, repository, thread_number, 'label', 'carol',
         requester_id, request, 'failed', 'agent' FROM runs WHERE id = $1`,
      [done.id],
    );
    const { rows } = await t.db.pool.query<{ id: number; state: string }>(
      "SELECT id::int AS id, state::text AS state FROM runs WHERE repository = $1 ORDER BY id DESC",
      [repo],
    );
    const failed = await (await get(`/runs?repo=${repo}&state=failed`, cookies.reader)).text();
    const failedIds = rows.filter((row) => row.state === "failed").map((row) => row.id);
    expect(failedIds.length).toBeGreaterThan(0);
    expect(ids(failed)).toEqual(failedIds.slice(0, 25));
    expect(failed).toContain('<option value="failed" selected>Failed</option>');
    expect(failed).toContain('<span class="pill failed">Failed</span>');
    expect(failed).not.toContain('<span class="pill succeeded">');
    expect(failed).toContain("Show all runs");

    const writer = t.world.sample.writer.login;
    const mine = await (
      await get(
        `/runs?repo=${repo}&by=${writer.toUpperCase()}&trigger=issue_command`,
        cookies.reader,
      )
    ).text();
    expect(ids(mine).length).toBeGreaterThan(0);
    expect(mine).toContain(`<option value="${writer}" selected>@${writer}</option>`);
    expect(mine).not.toContain("@carol</td>");
    const carol = await (
      await get(`/runs?repo=${repo}&by=carol&trigger=label`, cookies.reader)
    ).text();
    expect(ids(carol)).toEqual([failedIds[0]]);
    const nobody = await (
      await get(`/runs?repo=${repo}&by=carol&trigger=review_command`, cookies.reader)
    ).text();
    expect(ids(nobody)).toEqual([]);
    expect(nobody).toContain("No runs match these filters.");

    // The cost column: the local world's model costs nothing.
    expect(mine).toContain('<th scope="col">Cost</th>');
    const real = await (
      await get(`/runs?repo=${repo}&state=succeeded&before=${done.id + 1}`, cookies.reader)
    ).text();
    expect(ids(real)[0]).toBe(done.id);
    expect(real).toContain('<td data-label="Cost">$0</td>');

    const wrong = await get(`/runs?repo=${repo}&state=exploded`, cookies.reader);
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain("There is no run state &#34;exploded&#34;");
    expect((await get(`/runs?repo=${repo}&by=%3Cscript%3E`, cookies.reader)).status).toBe(400);
    expect((await get(`/runs?repo=${repo}&trigger=push`, cookies.reader)).status).toBe(400);
  });
});
