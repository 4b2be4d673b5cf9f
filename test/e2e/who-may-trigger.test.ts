import { jest } from "@jest/globals";
import { awaitRun } from "../helpers/await-run.js";
import { sendWebhook } from "../helpers/send-webhook.js";
import { startTestShip, type TestShip } from "../helpers/start-test-ship.js";
import { waitFor } from "../helpers/wait-for.js";

// End-to-end timing on a 2-core machine running two test files at once: one retry,
// with the first failure printed, so a scheduling hiccup does not fail the build.
jest.retryTimes(1, { logErrorsBeforeRetry: true });

type Role = "admin" | "maintain" | "write" | "triage" | "read" | "none";

/**
 * Who may start a run with `/ship <task>`: at least write access, a human, on a comment
 * as it was created. Through the real webhook path: the fake GitHub sends Ship's HTTP
 * server the webhook, Ship asks GitHub's collaborator-permission API, and answers.
 */
describe("Who may trigger", () => {
  let t: TestShip;
  let repository: string;
  /** One user per role; "none" is a GitHub user with no access to the repository. */
  const people = {} as Record<Role, string>;
  /** A bot of another app (type "Bot", login `<slug>[bot]`). */
  let bot: string;
  /** Comments that started runs: they must end before Ship stops. */
  const started: number[] = [];

  beforeAll(async () => {
    t = await startTestShip();
    repository = t.world.sample.repository;
    for (const role of ["admin", "maintain", "write", "triage", "read", "none"] as const) {
      const login = `who-${role}`;
      t.world.github.createUser({ login });
      if (role !== "none") t.world.github.addCollaborator(repository, login, role);
      people[role] = login;
    }
    const helper = await t.world.github.createApp({ slug: "helper" });
    bot = `${helper.slug}[bot]`;
  });
  afterAll(async () => {
    try {
      // Leave nothing running: every run these tests started ends (the fast default model).
      if (t) await Promise.all(started.map((commentId) => awaitRun(t, commentId, 45_000)));
    } finally {
      await t?.stop();
    }
  });

  /** `author` comments `body` on a fresh issue (opened by the writer), as on GitHub. */
  function comment(body: string, author: string) {
    const issue = t.world.github.createIssue({
      repository,
      author: t.world.sample.writer.login,
      title: "Add a README",
      body: "Please.",
    });
    const created = t.world.github.createIssueComment({
      repository,
      issueNumber: issue.number,
      author,
      body,
    });
    return { issue, comment: created };
  }

  /** The fake's delivery of `action` for this comment, once Ship has answered it. */
  const deliveryTo = (commentId: number, action: "created" | "edited") =>
    t.world.github.waitForDelivery(
      (d) =>
        d.event === "issue_comment" &&
        d.action === action &&
        (d.payload as { comment?: { id: number } }).comment?.id === commentId,
      10_000,
    );

  /** What Ship recorded for the comment's `issue_comment.created` delivery. */
  async function recorded(commentId: number) {
    const delivery = await deliveryTo(commentId, "created");
    return waitFor("the delivery to be recorded", async () => {
      const { rows } = await t.db.pool.query<{ outcome: string; reason: string | null }>(
        "SELECT outcome, reason FROM deliveries WHERE id = $1",
        [delivery.guid],
      );
      return rows[0];
    });
  }

  async function runsFor(commentId: number) {
    const { rows } = await t.db.pool.query<{ id: number; requester: string }>(
      `SELECT id::int AS id, requester_login AS requester FROM runs
        WHERE (request->>'commentId')::bigint = $1`,
      [commentId],
    );
    return rows;
  }

  /** Ship's comments on the thread (its marker), other than the status of a run. */
  const shipReplies = (issueNumber: number) =>
    t.world.github
      .issueComments(repository, issueNumber)
      .filter((c) => c.body.includes("<!-- ship -->"));

  const replyOn = (issueNumber: number) =>
    waitFor("Ship's reply", () => shipReplies(issueNumber)[0], 15_000);

  it.each(["admin", "maintain", "write"] as const)(
    "a collaborator with %s access starts a run with `/ship add a README`",
    async (role) => {
      const { comment: asked } = comment("/ship add a README", people[role]);
      started.push(asked.id);
      expect(await recorded(asked.id)).toEqual({ outcome: "run", reason: null });
      const runs = await runsFor(asked.id);
      expect(runs).toEqual([{ id: expect.any(Number), requester: people[role] }]);
    },
  );

  it.each<{ role: "triage" | "read" | "none"; who: string }>([
    { role: "triage", who: "a collaborator with triage access" },
    { role: "read", who: "a collaborator with read access" },
    { role: "none", who: "a user with no access" },
  ])("$who starts nothing, and is told write access is needed", async ({ role }) => {
    const login = people[role];
    const { issue, comment: asked } = comment("/ship add a README", login);
    expect(await recorded(asked.id)).toEqual({ outcome: "denied", reason: `role ${role}` });
    expect(await runsFor(asked.id)).toEqual([]);
    const reply = await replyOn(issue.number);
    expect(reply.author).toBe("ship[bot]");
    expect(reply.body).toContain(`@${login}`);
    expect(reply.body).toMatch(/\bwrite\b access/i);
  });

  it("a bot starts nothing and gets no reply", async () => {
    const { issue, comment: asked } = comment("/ship add a README", bot);
    expect(asked.author).toBe("helper[bot]");
    expect(await recorded(asked.id)).toEqual({ outcome: "ignored", reason: "written by a bot" });
    expect(await runsFor(asked.id)).toEqual([]);
    // A reader asks on the same thread after the bot: once Ship has answered the reader,
    // an answer to the bot (queued earlier, in the same way) would be there too.
    const after = t.world.github.createIssueComment({
      repository,
      issueNumber: issue.number,
      author: people.read,
      body: "/ship add a README",
    });
    expect(await recorded(after.id)).toEqual({ outcome: "denied", reason: "role read" });
    const reply = await replyOn(issue.number);
    expect(reply.body).toContain(`@${people.read}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const replies = shipReplies(issue.number);
    expect(replies).toHaveLength(1);
    expect(replies.some((c) => c.body.includes(bot))).toBe(false);
  });

  it("denies, fail closed, when GitHub's permission API answers 5xx", async () => {
    const fault = t.world.github.faults.add({
      method: "GET",
      path: /\/repos\/[^/]+\/[^/]+\/collaborators\/[^/]+\/permission$/,
      effect: { type: "status", status: 503 },
    });
    try {
      // The writer may trigger; only the unknown permission stops the run.
      const login = people.write;
      const { issue, comment: asked } = comment("/ship add a README", login);
      expect(await recorded(asked.id)).toEqual({
        outcome: "denied",
        reason: "permission unknown",
      });
      expect(fault.hits).toBeGreaterThanOrEqual(1);
      expect(await runsFor(asked.id)).toEqual([]);
      const reply = await replyOn(issue.number);
      expect(reply.body).toContain(`@${login}`);
      expect(reply.body).toMatch(/could not (verify|check)/i);
      expect(reply.body).toMatch(/permission/i);
      expect(reply.body).toMatch(/did not start/i);
    } finally {
      fault.remove();
    }
  });

  it("an edited comment that now says `/ship ...` starts nothing, and Ship says edits are not read", async () => {
    const { issue, comment: asked } = comment("I will ask Ship for a README.", people.write);
    expect(await recorded(asked.id)).toEqual({
      outcome: "ignored",
      reason: "not addressed to Ship",
    });
    // The author edits the comment through GitHub's API: the fake sends `issue_comment.edited`.
    const [owner, repo] = repository.split("/") as [string, string];
    const token = t.world.github.createPersonalToken(people.write);
    const edit = (body: string) =>
      fetch(`${t.world.github.apiUrl}/repos/${owner}/${repo}/issues/comments/${asked.id}`, {
        method: "PATCH",
        headers: { authorization: `token ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ body }),
      });
    expect((await edit("/ship add a README")).status).toBe(200);
    const edited = await deliveryTo(asked.id, "edited");
    expect(edited.payload).toMatchObject({
      action: "edited",
      comment: { id: asked.id, body: "/ship add a README" },
      changes: { body: { from: "I will ask Ship for a README." } },
      sender: { login: people.write },
    });
    // Ship took the delivery (signed, 2xx), started nothing and said why in one line.
    expect(edited.statusCode).toBeGreaterThanOrEqual(200);
    expect(edited.statusCode).toBeLessThan(300);
    const reply = await replyOn(issue.number);
    expect(reply.body).toContain(
      "Ship does not pick up edits: comment `/ship …` again as a new comment.",
    );
    expect(await runsFor(asked.id)).toEqual([]);
    const { rows } = await t.db.pool.query<{ outcome: string; reason: string }>(
      "SELECT outcome, reason FROM deliveries WHERE id = $1",
      [edited.guid],
    );
    expect(rows).toEqual([{ outcome: "ignored", reason: "edited comment" }]);
    // Editing the request again (it was already addressed to Ship) says nothing more.
    expect((await edit("/ship add a README with a usage section")).status).toBe(200);
    await t.world.github.waitForDeliveries();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await runsFor(asked.id)).toEqual([]);
    expect(shipReplies(issue.number)).toHaveLength(1);
  });

  it("gives a person without access one refusal per thread (5 comments, 1 reply, with usage and whom to ask), reading no config", async () => {
    const login = people.read;
    // Every read of the repository's config (Probot's contents requests) is counted.
    const configReads = t.world.github.faults.add({
      method: "GET",
      path: /\/contents\//,
      effect: { type: "latency", ms: 0 },
    });
    try {
      const { issue, comment: first } = comment("/ship add a README", login);
      const asked = [first.id];
      for (let i = 0; i < 4; i++) {
        asked.push(
          t.world.github.createIssueComment({
            repository,
            issueNumber: issue.number,
            author: login,
            body: `/ship add a README, please (${i + 2})`,
          }).id,
        );
      }
      for (const id of asked) {
        expect(await recorded(id)).toEqual({ outcome: "denied", reason: "role read" });
      }
      await t.world.github.waitForDeliveries();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const replies = shipReplies(issue.number);
      expect(replies).toHaveLength(1);
      expect(replies[0]?.body).toContain(`@${login}`);
      expect(replies[0]?.body).toContain("Ask a maintainer");
      expect(replies[0]?.body).toContain("**Usage**");
      expect(configReads.hits).toBe(0);
      // Days later it is still one: the refusal is per thread, not per day.
      await t.db.pool.query("UPDATE refusal_replies SET day = day - 3");
      const later = t.world.github.createIssueComment({
        repository,
        issueNumber: issue.number,
        author: login,
        body: "/ship add a README, now?",
      });
      expect(await recorded(later.id)).toEqual({ outcome: "denied", reason: "role read" });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(shipReplies(issue.number)).toHaveLength(1);
    } finally {
      configReads.remove();
    }
  });

  it("a replay of a signed `/ship` comment under a new delivery id starts no second run, and costs no GitHub call", async () => {
    const { comment: asked } = comment("/ship add a README", people.write);
    started.push(asked.id);
    expect(await recorded(asked.id)).toEqual({ outcome: "run", reason: null });
    const original = await deliveryTo(asked.id, "created");
    await awaitRun(t, asked.id, 45_000);
    // Every read ingest makes (permission, config, pull request, branch, rules) is counted.
    const ingestReads = t.world.github.faults.add({
      method: "GET",
      path: /\/(collaborators\/[^/]+\/permission|contents\/|pulls\/\d+$|branches\/)/,
      effect: { type: "latency", ms: 0 },
    });
    // Anyone who saw the signed payload (a webhook proxy, a log) sends it again as it was.
    const replay = await sendWebhook({
      url: `${t.config.publicUrl}/api/github/webhooks`,
      secret: t.world.app.webhookSecret,
      event: "issue_comment",
      payload: original.payload,
    }).finally(() => ingestReads.remove());
    expect(ingestReads.hits).toBe(0);
    expect(replay.deliveryId).not.toBe(original.guid);
    expect(replay.status).toBeLessThan(300);
    const { rows } = await t.db.pool.query<{ outcome: string; reason: string | null }>(
      "SELECT outcome, reason FROM deliveries WHERE id = $1",
      [replay.deliveryId],
    );
    expect(rows).toEqual([{ outcome: "ignored", reason: "comment already handled" }]);
    expect(await runsFor(asked.id)).toHaveLength(1);
  });
});
