import { jest } from "@jest/globals";
import { authorizeShipAs } from "../../src/sim/authorize-ship-as.js";
import { startTestShip, type TestShip } from "../helpers/start-test-ship.js";

// End-to-end timing on a 2-core machine running two test files at once: one retry,
// with the first failure printed, so a scheduling hiccup does not fail the build.
jest.retryTimes(1, { logErrorsBeforeRetry: true });

/**
 * Run pages judge access by the run's repository id, not by the name it was asked under:
 * a private `org/app` renamed, and a new public `org/app` created, must not expose the
 * private one's runs. Through Ship's real HTTP server and the fake GitHub.
 */
describe("run pages by repository id", () => {
  let t: TestShip;
  let owner: string;
  let privateRun: number;
  let publicRun: number;
  let cookies: { outsider: string; reader: string };

  const get = (path: string, cookie?: string) =>
    fetch(`${t.config.publicUrl}${path}`, {
      redirect: "manual",
      headers: cookie ? { cookie } : {},
    });

  /** The repository's id, as GitHub has it (the fake's records: no token needed). */
  function repositoryId(fullName: string) {
    const [o, name] = fullName.split("/") as [string, string];
    const found = t.world.github.state.repositoryByName(o, name);
    if (!found) throw new Error(`no repository ${fullName}`);
    return found.id;
  }

  /** A finished run of `repository` as ingest and the pipeline would have stored it. */
  async function insertRun(id: number, repository: string, task: string) {
    const { rows } = await t.db.pool.query<{ id: number }>(
      `INSERT INTO runs (installation_id, repository_id, repository, thread_number, trigger,
         requester_login, requester_id, request, state, phase, error_category, error_message,
         finished_at)
       VALUES ($1, $2, $3, 1, 'issue_command', 'someone', 99, $4, 'failed', 'failed', 'agent',
         'stopped', now())
       RETURNING id::int AS id`,
      [
        t.world.sample.installationId,
        id,
        repository,
        { task, options: {}, thread: { title: "A task", body: "", isPullRequest: false } },
      ],
    );
    return (rows[0] as { id: number }).id;
  }

  beforeAll(async () => {
    t = await startTestShip();
    owner = t.world.sample.repository.split("/")[0] as string;
    const name = `${owner}/app`;
    await t.world.github.createRepository({ owner, name: "app", private: true });
    privateRun = await insertRun(repositoryId(name), name, "the private repository's plan");
    t.world.github.renameRepository(name, "app-old");
    t.world.github.addCollaborator(`${owner}/app-old`, t.world.sample.reader.login, "read");
    await t.world.github.createRepository({ owner, name: "app", private: false });
    publicRun = await insertRun(repositoryId(name), name, "the public repository's plan");
    t.world.github.createUser({ login: "visitor" });
    cookies = {
      outsider: (await authorizeShipAs({ shipUrl: t.config.publicUrl, login: "visitor" })).cookies,
      reader: (
        await authorizeShipAs({ shipUrl: t.config.publicUrl, login: t.world.sample.reader.login })
      ).cookies,
    };
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("of two runs asked under the same name, the renamed private repository's answers 404 to a visitor", async () => {
    const page = await get(`/runs/${privateRun}`, cookies.outsider);
    expect(page.status).toBe(404);
    expect(await page.text()).not.toContain("the private repository's plan");
    expect((await get(`/runs/${privateRun}`)).status).toBe(302);
    expect((await get(`/runs/${publicRun}`, cookies.outsider)).status).toBe(200);
  });

  it("shows the private run to a reader of the renamed repository", async () => {
    const page = await get(`/runs/${privateRun}`, cookies.reader);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("the private repository&#39;s plan");
  });

  it("lists under the name only the runs of the repository that has it now", async () => {
    const history = await get(`/runs?repo=${owner}/app`, cookies.outsider);
    expect(history.status).toBe(200);
    const html = await history.text();
    expect(html).toContain(`/runs/${publicRun}`);
    expect(html).not.toContain(`/runs/${privateRun}"`);
  });

  it("streams the private run's log to nobody but its readers", async () => {
    expect((await get(`/runs/${privateRun}/events`, cookies.outsider)).status).toBe(404);
  });
});
