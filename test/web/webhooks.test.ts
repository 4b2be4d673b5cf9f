import type { WebServer } from "../../src/web/start-web-server.js";
import type { TestDatabase } from "../helpers/create-test-database.js";
import { sendWebhook } from "../helpers/send-webhook.js";
import { startWebhookServer, type WebhookServer } from "../helpers/start-webhook-server.js";
import { webhookExample } from "../helpers/webhook-example.js";

const secret = "webhook secret for tests";

describe("webhooks through the real HTTP server", () => {
  let db: TestDatabase;
  let web: WebServer;
  let server: WebhookServer;
  let url: string;

  beforeAll(async () => {
    server = await startWebhookServer({ secret });
    ({ db, web } = server);
    url = `http://127.0.0.1:${web.port}/api/github/webhooks`;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("answers /healthz", async () => {
    const response = await fetch(`http://127.0.0.1:${web.port}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("ok\n");
  });

  it("records an installation and who installed it, once per delivery", async () => {
    const payload = webhookExample<{
      installation: { id: number; account: { login: string } };
      sender: { login: string; id: number };
    }>("installation", "created");
    const first = await sendWebhook({ url, secret, event: "installation", payload });
    expect(first.status).toBe(200);
    const again = await sendWebhook({
      url,
      secret,
      event: "installation",
      payload,
      deliveryId: first.deliveryId,
    });
    expect(again.status).toBe(200);

    const { rows } = await db.pool.query(
      "SELECT id::float8 AS id, account_login, installer_login, installer_id::float8 AS installer_id, deleted_at FROM installations",
    );
    expect(rows).toEqual([
      {
        id: payload.installation.id,
        account_login: payload.installation.account.login,
        installer_login: payload.sender.login,
        installer_id: payload.sender.id,
        deleted_at: null,
      },
    ]);
    const deliveries = await db.pool.query("SELECT event, outcome FROM deliveries WHERE id = $1", [
      first.deliveryId,
    ]);
    expect(deliveries.rows).toEqual([{ event: "installation.created", outcome: "recorded" }]);
  });

  it("marks an installation deleted, keeping who installed it", async () => {
    const created = webhookExample<{ installation: { id: number }; sender: { login: string } }>(
      "installation",
      "created",
    );
    const deleted = webhookExample<{ installation: { id: number }; sender: { login: string } }>(
      "installation",
      "deleted",
    );
    deleted.installation.id = created.installation.id;
    deleted.sender.login = "someone-else";
    expect(
      (await sendWebhook({ url, secret, event: "installation", payload: deleted })).status,
    ).toBe(200);
    const { rows } = await db.pool.query(
      "SELECT installer_login, deleted_at FROM installations WHERE id = $1",
      [created.installation.id],
    );
    expect(rows[0].installer_login).toBe(created.sender.login);
    expect(rows[0].deleted_at).toBeInstanceOf(Date);
  });

  it("records installation_repositories deliveries", async () => {
    const payload = webhookExample("installation_repositories", "added");
    const { status, deliveryId } = await sendWebhook({
      url,
      secret,
      event: "installation_repositories",
      payload,
    });
    expect(status).toBe(200);
    const { rows } = await db.pool.query("SELECT event FROM deliveries WHERE id = $1", [
      deliveryId,
    ]);
    expect(rows).toEqual([{ event: "installation_repositories.added" }]);
  });

  it.each([
    ["issue_comment", "created"],
    ["pull_request_review_comment", "created"],
    ["issues", "labeled"],
  ])("records a %s.%s delivery with its repository", async (event, action) => {
    const payload = webhookExample<{
      repository: { full_name: string };
      installation?: { id: number };
    }>(event, action);
    payload.installation = { id: 4242 };
    const { status, deliveryId } = await sendWebhook({ url, secret, event, payload });
    expect(status).toBe(200);
    const { rows } = await db.pool.query(
      "SELECT event, repository, installation_id::float8 AS installation_id FROM deliveries WHERE id = $1",
      [deliveryId],
    );
    expect(rows).toEqual([
      {
        event: `${event}.${action}`,
        repository: payload.repository.full_name,
        installation_id: 4242,
      },
    ]);
  });

  it("rejects a delivery with a bad signature and records nothing", async () => {
    const payload = webhookExample("issue_comment", "created");
    const { status, deliveryId } = await sendWebhook({
      url,
      secret,
      event: "issue_comment",
      payload,
      signature: "sha256=0000000000000000000000000000000000000000000000000000000000000000",
    });
    expect(status).toBe(400);
    const { rows } = await db.pool.query("SELECT 1 FROM deliveries WHERE id = $1", [deliveryId]);
    expect(rows).toEqual([]);
  });
});
