import type { Queryable } from "../../src/db/queryable.js";
import type { GitHubApp } from "../../src/github/create-github-app.js";
import type { UserTokens } from "../../src/identity/create-user-tokens.js";
import { resolveActingIdentity } from "../../src/identity/resolve-acting-identity.js";
import { RunError } from "../../src/runs/run-error.js";

/** The installer's token serves a requester who never authorized Ship only on the operator's opt-in. */
describe("resolveActingIdentity", () => {
  const installer = { id: 7, login: "owner-person" };
  const requester = { id: 42, login: "writer-person" };
  const db = {
    query: async () => ({ rows: [{ id: String(installer.id) }] }),
  } as unknown as Queryable;
  const tokens = {
    forUser: async (userId: number) =>
      userId === installer.id ? { token: "installer-token", login: installer.login } : undefined,
  } as unknown as UserTokens;
  const github = { userClient: (token: string) => ({ token }) } as unknown as GitHubApp;
  const resolve = (installerStandsIn?: boolean) =>
    resolveActingIdentity({
      db,
      github,
      tokens,
      actAs: "user",
      githubUrl: "https://github.com",
      publicUrl: "https://ship.example",
      installationId: 1,
      requester,
      validForMs: 60_000,
      ...(installerStandsIn === undefined ? {} : { installerStandsIn }),
    });

  it("fails with `authorization` and the sign-in link when the installer does not stand in", async () => {
    for (const standsIn of [undefined, false]) {
      const error = await resolve(standsIn).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RunError);
      expect(error).toMatchObject({ category: "authorization" });
      expect((error as RunError).message).toContain(`@${requester.login} has not authorized Ship`);
      expect((error as RunError).whatToDo).toContain(
        `[Authorize Ship](https://ship.example/auth/sign-in) as @${requester.login}`,
      );
    }
  });

  it("acts as the installer when the operator opted in", async () => {
    const acting = await resolve(true);
    expect(acting.login).toBe(installer.login);
    expect(acting.octokit).toEqual({ token: "installer-token" });
  });
});
