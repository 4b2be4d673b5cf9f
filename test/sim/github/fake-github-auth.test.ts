import { createPrivateKey, generateKeyPairSync } from "node:crypto";
import path from "node:path";
import { Octokit as RestOctokit } from "@octokit/rest";
import { SignJWT } from "jose";
import { Probot, type ProbotOctokit } from "probot";
import { testLogger } from "../../helpers/test-logger.js";
import { createGitWorkspace, type GitWorkspace } from "./git-workspace.js";
import { type SeededGitHub, startSeededGitHub } from "./start-seeded-github.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

// Every way a credential can fall short, with GitHub's answers.
describe("fake GitHub authentication and permissions", () => {
  let world: SeededGitHub;
  let workspace: GitWorkspace;
  let counter = 0;

  beforeAll(async () => {
    world = await startSeededGitHub();
    workspace = await createGitWorkspace();
    const { gh } = world;
    gh.createUser({ login: "bob" });
    gh.createUser({ login: "carol" });
    gh.addCollaborator("alice/demo", "bob", "read");
    gh.addCollaborator("alice/demo", "carol", "write");
    await gh.createRepository({ owner: "alice", name: "other" });
  });
  afterAll(async () => {
    await world?.stop();
    await workspace?.remove();
  });

  // Octokit logs every failed request; the failures here are the point.
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };
  const rest = (token: string) =>
    new RestOctokit({ auth: token, baseUrl: world.gh.apiUrl, log: quiet });
  const api = (pathname: string, init: RequestInit = {}) =>
    fetch(`${world.gh.apiUrl}${pathname}`, init);
  const remote = (user: string, token: string, repository = "alice/demo") =>
    `http://${encodeURIComponent(user)}:${token}@${world.gh.host}/${repository}.git`;

  /** Clones `repository` anonymously-free with the token and tries to push a new branch. */
  const tryPush = async (user: string, token: string, repository = "alice/demo") => {
    const admin = world.gh.createInstallationToken(world.installation.id);
    const dir = path.join(workspace.dir, `push-${++counter}`);
    await workspace.git(["clone", "-q", remote("x-access-token", admin, repository), dir]);
    await workspace.git(["checkout", "-q", "-b", `attempt-${counter}`], dir);
    await workspace.commitFile(dir, "attempt.txt", `${counter}\n`, "Attempt");
    return workspace.tryGit(
      ["push", "-q", remote(user, token, repository), `attempt-${counter}`],
      dir,
    );
  };

  describe("git over HTTP", () => {
    it("pushes with an installation token that may write contents", async () => {
      const token = world.gh.createInstallationToken(world.installation.id);
      expect((await tryPush("x-access-token", token)).code).toBe(0);
    });

    it("refuses a push with a wrong token", async () => {
      const result = await tryPush("x-access-token", "ghs_not_a_real_token_000000000000000000");
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/Authentication failed|401/);
    });

    it("refuses a push with an expired installation token", async () => {
      const token = world.gh.createInstallationToken(world.installation.id);
      world.gh.clock.advance(61 * 60 * 1000);
      try {
        const result = await tryPush("x-access-token", token);
        expect(result.code).not.toBe(0);
        const response = await api("/repos/alice/demo", {
          headers: { authorization: `token ${token}` },
        });
        expect(response.status).toBe(401);
        expect(await response.json()).toMatchObject({ message: "Bad credentials" });
      } finally {
        world.gh.clock.advance(-61 * 60 * 1000);
      }
    });

    it("lets a contents:read token clone but not push, nor write through the API", async () => {
      const appOctokit = (await world.probot.auth()) as Octokit;
      const { data } = await appOctokit.rest.apps.createInstallationAccessToken({
        installation_id: world.installation.id,
        permissions: { contents: "read" },
      });
      expect(data.permissions).toEqual({ metadata: "read", contents: "read" });

      const result = await tryPush("x-access-token", data.token);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/403/);

      const readOnly = rest(data.token);
      const { data: main } = await readOnly.rest.git.getRef({
        owner: "alice",
        repo: "demo",
        ref: "heads/main",
      });
      await expect(
        readOnly.rest.git.createRef({
          owner: "alice",
          repo: "demo",
          ref: "refs/heads/nope",
          sha: main.object.sha,
        }),
      ).rejects.toMatchObject({
        status: 403,
        message: expect.stringContaining("Resource not accessible by integration"),
      });
    });

    it("limits a token narrowed to one repository to that repository", async () => {
      const appOctokit = (await world.probot.auth()) as Octokit;
      const { data } = await appOctokit.rest.apps.createInstallationAccessToken({
        installation_id: world.installation.id,
        repositories: ["other"],
      });
      expect(data.repositories?.map((repository) => repository.full_name)).toEqual(["alice/other"]);
      expect((await tryPush("x-access-token", data.token, "alice/other")).code).toBe(0);
      const result = await tryPush("x-access-token", data.token, "alice/demo");
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/not found|404/);
      const response = await api("/repos/alice/demo", {
        headers: { authorization: `token ${data.token}` },
      });
      expect(response.status).toBe(404);
    });

    it("wants x-access-token as the user name for installation tokens, any name for user tokens", async () => {
      const installationToken = world.gh.createInstallationToken(world.installation.id);
      expect((await tryPush("someone", installationToken)).code).not.toBe(0);
      const userToken = world.gh.createUserToken(world.app.id, "carol").token;
      expect((await tryPush("anything", userToken)).code).toBe(0);
    });

    it("refuses a push by a reader's user token", async () => {
      const token = world.gh.createUserToken(world.app.id, "bob").token;
      const result = await tryPush("bob", token);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/403/);
    });
  });

  describe("app JWTs", () => {
    const tokenRequest = (jwt: string) =>
      api(`/app/installations/${world.installation.id}/access_tokens`, {
        method: "POST",
        headers: { authorization: `Bearer ${jwt}`, accept: "application/vnd.github+json" },
      });
    const sign = (claims: { iat: number; exp: number }, key = world.app.privateKey) =>
      new SignJWT({ iss: String(world.app.id) })
        .setProtectedHeader({ alg: "RS256" })
        .setIssuedAt(claims.iat)
        .setExpirationTime(claims.exp)
        // jose signs with a KeyObject; the PEM is PKCS#1, as GitHub hands it out.
        .sign(createPrivateKey(key));
    const now = () => Math.floor(Date.now() / 1000);

    it("mints a one-hour installation token for a valid JWT", async () => {
      const response = await tokenRequest(await sign({ iat: now() - 30, exp: now() + 540 }));
      expect(response.status).toBe(201);
      const body = (await response.json()) as { token: string; expires_at: string };
      expect(body.token).toMatch(/^ghs_/);
      const ttl = Date.parse(body.expires_at) - Date.now();
      expect(ttl).toBeGreaterThan(59 * 60 * 1000);
      expect(ttl).toBeLessThanOrEqual(60 * 60 * 1000);
    });

    it("answers 401 to a JWT signed with another key", async () => {
      const otherKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
        type: "pkcs1",
        format: "pem",
      }) as string;
      const response = await tokenRequest(
        await sign({ iat: now() - 30, exp: now() + 540 }, otherKey),
      );
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({
        message: "A JSON web token could not be decoded",
      });

      const impostor = new Probot({
        appId: world.app.id,
        privateKey: otherKey,
        baseUrl: world.gh.apiUrl,
        log: testLogger(),
      });
      // Octokit asks for the installation token on the first request.
      const asInstallation = (await impostor.auth(world.installation.id)) as Octokit;
      await expect(
        asInstallation.rest.repos.get({ owner: "alice", repo: "demo" }),
      ).rejects.toMatchObject({ status: 401 });
    });

    it("answers 401 to an expired JWT and to one valid for more than ten minutes", async () => {
      const expired = await tokenRequest(await sign({ iat: now() - 700, exp: now() - 60 }));
      expect(expired.status).toBe(401);
      expect(((await expired.json()) as { message: string }).message).toMatch(
        /'Expiration time' claim/,
      );
      const tooLong = await tokenRequest(await sign({ iat: now(), exp: now() + 3600 }));
      expect(tooLong.status).toBe(401);
      expect(((await tooLong.json()) as { message: string }).message).toMatch(
        /too far in the future/,
      );
    });

    it("keeps Probot working after the fake's clock jumps, by its Date header", async () => {
      world.gh.clock.advance(2 * 3600 * 1000);
      try {
        // A fresh client: Octokit caches installation tokens by its own clock.
        const probot = new Probot({
          appId: world.app.id,
          privateKey: world.app.privateKey,
          baseUrl: world.gh.apiUrl,
          log: testLogger(),
        });
        const appOctokit = (await probot.auth()) as Octokit;
        const { status } = await appOctokit.rest.apps.getAuthenticated();
        expect(status).toBe(200);
      } finally {
        world.gh.clock.advance(-2 * 3600 * 1000);
      }
    });

    it("refuses to widen a token beyond the installation", async () => {
      const appOctokit = (await world.probot.auth()) as Octokit;
      await expect(
        appOctokit.rest.apps.createInstallationAccessToken({
          installation_id: world.installation.id,
          permissions: { administration: "write" },
        }),
      ).rejects.toMatchObject({ status: 422 });
      await expect(
        appOctokit.rest.apps.createInstallationAccessToken({
          installation_id: world.installation.id,
          repositories: ["not-installed-here"],
        }),
      ).rejects.toMatchObject({ status: 422 });
    });
  });

  describe("user tokens and the OAuth web flow", () => {
    /** Runs the browser part of the flow: the authorize page approves as `login`. */
    const authorize = async (login: string) => {
      const query = new URLSearchParams({
        client_id: world.app.clientId,
        redirect_uri: "http://127.0.0.1:9/auth/callback",
        state: "state-123",
        login,
      });
      const response = await fetch(`${world.gh.url}/login/oauth/authorize?${query}`, {
        redirect: "manual",
      });
      expect(response.status).toBe(302);
      const location = new URL(response.headers.get("location") ?? "");
      expect(location.searchParams.get("state")).toBe("state-123");
      return location.searchParams.get("code") ?? "";
    };
    const exchange = async (fields: Record<string, string>) => {
      const response = await fetch(`${world.gh.url}/login/oauth/access_token`, {
        method: "POST",
        headers: { accept: "application/json", "content-type": "application/json" },
        body: JSON.stringify({
          client_id: world.app.clientId,
          client_secret: world.app.clientSecret,
          ...fields,
        }),
      });
      expect(response.status).toBe(200);
      return (await response.json()) as Record<string, string | number>;
    };
    const whoAmI = async (token: string) => {
      const response = await api("/user", { headers: { authorization: `token ${token}` } });
      return { status: response.status, body: (await response.json()) as { login?: string } };
    };

    it("trades a code once for a user token and a refresh token that works once", async () => {
      const code = await authorize("alice");
      const first = await exchange({ code });
      expect(first).toMatchObject({
        access_token: expect.stringMatching(/^ghu_/),
        refresh_token: expect.stringMatching(/^ghr_/),
        expires_in: 28800,
        refresh_token_expires_in: 15897600,
        token_type: "bearer",
      });
      expect(await whoAmI(String(first.access_token))).toMatchObject({
        status: 200,
        body: { login: "alice" },
      });
      expect(await exchange({ code })).toMatchObject({ error: "bad_verification_code" });

      const refreshed = await exchange({
        grant_type: "refresh_token",
        refresh_token: String(first.refresh_token),
      });
      expect(refreshed.access_token).toMatch(/^ghu_/);
      expect(await whoAmI(String(refreshed.access_token))).toMatchObject({ status: 200 });
      expect((await whoAmI(String(first.access_token))).status).toBe(401);
      expect(
        await exchange({ grant_type: "refresh_token", refresh_token: String(first.refresh_token) }),
      ).toMatchObject({ error: "bad_refresh_token" });
    });

    it("shows a consent page whose form approves as the chosen user", async () => {
      const query = new URLSearchParams({ client_id: world.app.clientId, state: "s1" });
      const page = await fetch(`${world.gh.url}/login/oauth/authorize?${query}`);
      expect(page.headers.get("content-type")).toContain("text/html");
      expect(await page.text()).toContain('<option value="bob">bob</option>');
      const approved = await fetch(`${world.gh.url}/login/oauth/authorize`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ client_id: world.app.clientId, state: "s1", login: "bob" }),
      });
      const location = new URL(approved.headers.get("location") ?? "");
      expect(location.origin + location.pathname).toBe("http://127.0.0.1:9/auth/callback");
      expect(location.searchParams.get("state")).toBe("s1");
      const tokens = await exchange({ code: location.searchParams.get("code") ?? "" });
      expect(await whoAmI(String(tokens.access_token))).toMatchObject({ body: { login: "bob" } });
    });

    it("refuses a redirect_uri that is not the app's callback", async () => {
      const query = new URLSearchParams({
        client_id: world.app.clientId,
        redirect_uri: "http://evil.example/steal",
        login: "alice",
      });
      const response = await fetch(`${world.gh.url}/login/oauth/authorize?${query}`, {
        redirect: "manual",
      });
      expect(response.status).toBe(200);
      expect(await response.text()).toContain("redirect_uri is not associated");
    });

    it("answers in form encoding without Accept: application/json, as GitHub does", async () => {
      const code = await authorize("alice");
      const response = await fetch(`${world.gh.url}/login/oauth/access_token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          client_id: world.app.clientId,
          client_secret: world.app.clientSecret,
          code,
        }),
      });
      const form = new URLSearchParams(await response.text());
      expect(form.get("access_token")).toMatch(/^ghu_/);
    });

    it("expires user tokens after their lifetime", async () => {
      const { token } = world.gh.createUserToken(world.app.id, "alice");
      world.gh.clock.advance(8 * 3600 * 1000 + 1000);
      try {
        expect((await whoAmI(token)).status).toBe(401);
      } finally {
        world.gh.clock.advance(-(8 * 3600 * 1000 + 1000));
      }
    });

    it("lets a reader comment as themselves but not open a pull request", async () => {
      const { token } = world.gh.createUserToken(world.app.id, "bob");
      const octokit = rest(token);
      const issue = world.gh.createIssue({
        repository: "alice/demo",
        author: "alice",
        title: "Reader",
      });
      const { data: comment } = await octokit.rest.issues.createComment({
        owner: "alice",
        repo: "demo",
        issue_number: issue.number,
        body: "I can comment",
      });
      expect(comment.user?.login).toBe("bob");
      expect(comment.performed_via_github_app?.slug).toBe("ship");
      await expect(
        octokit.rest.pulls.create({
          owner: "alice",
          repo: "demo",
          title: "x",
          head: "main",
          base: "main",
        }),
      ).rejects.toMatchObject({ status: 403 });
      await expect(
        octokit.rest.issues.addLabels({
          owner: "alice",
          repo: "demo",
          issue_number: issue.number,
          labels: ["bug"],
        }),
      ).rejects.toMatchObject({ status: 403 });
    });

    it("hides a private repository from a user who is not a collaborator", async () => {
      world.gh.createUser({ login: "mallory" });
      const token = world.gh.createPersonalToken("mallory");
      const response = await api("/repos/alice/demo", {
        headers: { authorization: `token ${token}` },
      });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({
        message: "Not Found",
        documentation_url: expect.any(String),
      });
    });

    it("opens a pull request as the writer who authorized the app", async () => {
      const { token } = world.gh.createUserToken(world.app.id, "carol");
      const octokit = rest(token);
      const result = await tryPush("carol", token);
      expect(result.code).toBe(0);
      const { data: pull } = await octokit.rest.pulls.create({
        owner: "alice",
        repo: "demo",
        title: "By carol",
        head: `attempt-${counter}`,
        base: "main",
        draft: true,
      });
      expect(pull.user?.login).toBe("carol");
      expect(pull.draft).toBe(true);
    });

    it("revokes a user's authorization with a webhook, and their tokens stop working", async () => {
      const { token, refreshToken } = world.gh.createUserToken(world.app.id, "alice");
      const delivery = world.gh.revokeUserAuthorization(world.app.id, "alice");
      expect((await delivery?.done)?.statusCode).toBe(200);
      expect(delivery?.payload).toMatchObject({ action: "revoked", sender: { login: "alice" } });
      expect((await whoAmI(token)).status).toBe(401);
      expect(
        await exchange({ grant_type: "refresh_token", refresh_token: String(refreshToken) }),
      ).toMatchObject({
        error: "bad_refresh_token",
      });
    });
  });
});
