import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { request } from "@octokit/request";
import { migrate } from "../../src/db/migrate.js";
import { createTokenCipher } from "../../src/identity/create-token-cipher.js";
import { createUserTokens, type UserTokens } from "../../src/identity/create-user-tokens.js";
import { type FakeGitHub, startFakeGitHub } from "../../src/sim/github/start-fake-github.js";
import { createTestDatabase, type TestDatabase } from "../helpers/create-test-database.js";
import { testLogger } from "../helpers/test-logger.js";

describe("user tokens", () => {
  let db: TestDatabase;
  let gh: FakeGitHub;
  let tokens: UserTokens;
  let app: Awaited<ReturnType<FakeGitHub["createApp"]>>;

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrate(db.pool, testLogger());
    gh = await startFakeGitHub({
      log: testLogger(),
      dataDir: mkdtempSync(path.join(tmpdir(), "ship-tokens-")),
    });
    gh.createUser({ login: "dana" });
    app = await gh.createApp({ slug: "ship" });
    tokens = createUserTokens({
      pool: db.pool,
      cipher: createTokenCipher(randomBytes(32)),
      oauth: { clientId: app.clientId, clientSecret: app.clientSecret },
      request: request.defaults({ baseUrl: gh.apiUrl }),
      log: testLogger(),
    });
  });
  afterAll(async () => {
    await gh.stop();
    await db.drop();
  });

  async function authorize(expiresInMs: number) {
    const issued = gh.createUserToken(app.id, "dana");
    const user = gh.state.userByLogin("dana") as { id: number };
    await tokens.save({
      userId: user.id,
      login: "dana",
      accessToken: issued.token,
      accessExpiresAt: new Date(Date.now() + expiresInMs),
      ...(issued.refreshToken ? { refreshToken: issued.refreshToken } : {}),
      refreshExpiresAt: new Date(Date.now() + 86_400_000),
    });
    return { userId: user.id, token: issued.token };
  }

  it("keeps tokens encrypted in the database", async () => {
    const { userId, token } = await authorize(3_600_000);
    const { rows } = await db.pool.query(
      "SELECT access_token, refresh_token FROM user_tokens WHERE user_id = $1",
      [userId],
    );
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(await tokens.forUser(userId)).toEqual({ token, login: "dana" });
  });

  it("refreshes once when two runs need a fresh token at the same moment (refresh tokens are single-use)", async () => {
    const { userId, token: old } = await authorize(60_000);
    const [a, b] = await Promise.all([tokens.forUser(userId), tokens.forUser(userId)]);
    expect(a?.token).toBeDefined();
    expect(a?.token).not.toBe(old);
    expect(b?.token).toBe(a?.token);
    // The new token works as dana.
    const { data } = await request("GET /user", {
      baseUrl: gh.apiUrl,
      headers: { authorization: `token ${a?.token}` },
    });
    expect(data.login).toBe("dana");
  });

  it("forgets a person whose refresh GitHub refuses", async () => {
    const { userId } = await authorize(60_000);
    gh.revokeUserAuthorization(app.id, "dana");
    expect(await tokens.forUser(userId)).toBeUndefined();
    const { rows } = await db.pool.query("SELECT 1 FROM user_tokens WHERE user_id = $1", [userId]);
    expect(rows).toEqual([]);
  });

  it("knows nothing of people who never authorized Ship", async () => {
    expect(await tokens.forUser(424242)).toBeUndefined();
  });
});
