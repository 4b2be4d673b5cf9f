import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { request } from "@octokit/request";
import type { UserTokens } from "../../src/identity/create-user-tokens.js";
import { createAuthHandler } from "../../src/web/create-auth-handler.js";
import { createSessionSigner, type SessionSigner } from "../../src/web/create-session-signer.js";
import { createSignOutHandler } from "../../src/web/create-sign-out-handler.js";
import { readSession } from "../../src/web/read-session.js";
import { testLogger } from "../helpers/test-logger.js";

/** GitHub's side of the web flow: any code is good, the person is @octo (id 7). */
const github: Server = createServer((req, res) => {
  res.setHeader("content-type", "application/json");
  if (req.url?.startsWith("/login/oauth/access_token"))
    res.end(JSON.stringify({ access_token: "ghu_x", token_type: "bearer", scope: "" }));
  else if (req.url === "/api/v3/user") res.end(JSON.stringify({ id: 7, login: "octo" }));
  else res.writeHead(404).end("{}");
});
let ship: Server;
let signer: SessionSigner;
let base: string;

async function startShipPages(secure: boolean): Promise<void> {
  signer = createSessionSigner(randomBytes(32), { secure });
  const signOut = createSignOutHandler({ signer, githubUrl: "https://github.example" });
  const handle = createAuthHandler({
    oauth: { clientId: "Iv1.test", clientSecret: "shh" },
    githubUrl: "https://github.example",
    publicUrl: secure ? "https://ship.example" : "http://localhost:3000",
    request: request.defaults({
      baseUrl: `http://127.0.0.1:${(github.address() as AddressInfo).port}/api/v3`,
    }),
    tokens: { save: async () => {} } as unknown as UserTokens,
    signer,
    log: testLogger(),
  });
  ship = createServer(async (req, res) => {
    if (!(await handle(req, res)) && !(await signOut(req, res))) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => ship.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(ship.address() as AddressInfo).port}`;
}

/** Signs in through login and callback, as a browser would; the callback's Set-Cookie headers. */
async function signIn(): Promise<string[]> {
  const login = await fetch(`${base}/auth/login?return_to=/runs/1`, { redirect: "manual" });
  const stateCookie = login.headers.getSetCookie()[0] ?? "";
  const state = new URL(login.headers.get("location") ?? "").searchParams.get("state");
  const callback = await fetch(`${base}/auth/callback?code=c&state=${state}`, {
    redirect: "manual",
    headers: { cookie: stateCookie.split(";")[0] ?? "" },
  });
  expect(callback.status).toBe(302);
  return [stateCookie, ...callback.headers.getSetCookie()];
}

function requestWithCookie(cookie: string): IncomingMessage {
  return { headers: { cookie } } as IncomingMessage;
}

beforeAll(async () => {
  await new Promise<void>((resolve) => github.listen(0, "127.0.0.1", resolve));
});
afterEach(async () => {
  await new Promise((resolve) => ship.close(resolve));
});
afterAll(async () => {
  await new Promise((resolve) => github.close(resolve));
});

describe("sign-in cookies", () => {
  it("are Secure and __Host- prefixed (Path=/, no Domain) when Ship is on https", async () => {
    await startShipPages(true);
    const [state, session, , flash] = await signIn();
    expect(state).toMatch(
      /^__Host-ship_oauth=[^;]+; Max-Age=600; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
    );
    expect(session).toMatch(
      /^__Host-ship_session=[^;]+; Max-Age=43200; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
    );
    expect(flash).toMatch(
      /^__Host-ship_flash=[^;]+; Max-Age=120; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
    );
    const value = session?.split(";")[0] ?? "";
    expect(readSession(requestWithCookie(value), signer)).toEqual({ userId: 7, login: "octo" });
    // The same signed value under the plain name (set over http or by a sibling subdomain) is ignored.
    const plain = value.replace("__Host-", "");
    expect(readSession(requestWithCookie(plain), signer)).toBeUndefined();
  });

  it("keep their plain names, without Secure, when Ship is on http (the local world)", async () => {
    await startShipPages(false);
    const [state, session] = await signIn();
    expect(state).toMatch(/^ship_oauth=[^;]+; Max-Age=600; Path=\/; HttpOnly; SameSite=Lax$/);
    expect(session).toMatch(/^ship_session=[^;]+; Max-Age=43200; Path=\/; HttpOnly; SameSite=Lax$/);
    expect(readSession(requestWithCookie(session?.split(";")[0] ?? ""), signer)).toEqual({
      userId: 7,
      login: "octo",
    });
  });
});

describe("sign-in pages", () => {
  it("carry the nonce Content-Security-Policy of Ship's other pages", async () => {
    await startShipPages(true);
    for (const path of [
      "/auth/sign-in?return_to=/runs/1",
      "/auth/sign-out",
      "/auth/done",
      "/auth/callback?state=forged&code=c",
    ]) {
      const page = await fetch(`${base}${path}`);
      expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(page.headers.get("content-security-policy")).toMatch(
        /^default-src 'none'; script-src 'nonce-[A-Za-z0-9+/=]+'; .*frame-ancestors 'none'$/,
      );
      expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    }
  });
});

describe("the sign-in page", () => {
  it("never sends anyone off Ship afterwards: a return_to that is not a path on Ship goes home", async () => {
    await startShipPages(false);
    for (const returnTo of [
      "https://evil.example/x",
      "//evil.example/x",
      "/\\evil.example",
      "/a b",
    ]) {
      const page = await fetch(`${base}/auth/sign-in?return_to=${encodeURIComponent(returnTo)}`);
      const html = await page.text();
      expect(html).toContain('href="/auth/login?return_to=%2F"');
      expect(html).not.toContain("evil.example");
    }
  });

  it("signing out needs the confirm page's token: a forged form keeps the session", async () => {
    await startShipPages(false);
    const [, session] = await signIn();
    const cookie = session?.split(";")[0] ?? "";
    const forged = await fetch(`${base}/auth/sign-out`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      body: "csrf=forged&return_to=%2F",
    });
    expect(forged.status).toBe(403);
    expect(forged.headers.getSetCookie().join()).not.toContain("ship_session=;");
  });
});
