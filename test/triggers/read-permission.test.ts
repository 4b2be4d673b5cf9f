import type { GitHubClient } from "../../src/github/github-client.js";
import { readPermission } from "../../src/triggers/read-permission.js";

/** A role counts for the person a session names by id, not for whoever has the login now. */
describe("readPermission", () => {
  const answering = (user: { id: number; login: string }) =>
    ({
      rest: {
        repos: {
          getCollaboratorPermissionLevel: async () => ({
            data: { permission: "admin", role_name: "admin", user },
          }),
        },
      },
    }) as unknown as GitHubClient;
  const repository = { owner: "acme", name: "app" };

  it("gives the role when the login is still the session's user", async () => {
    const octokit = answering({ id: 5, login: "carol" });
    expect(await readPermission(octokit, repository, "carol", 5)).toBe("admin");
    expect(await readPermission(octokit, repository, "carol")).toBe("admin");
  });

  it("gives none when the login now belongs to someone else", async () => {
    const octokit = answering({ id: 6, login: "carol" });
    expect(await readPermission(octokit, repository, "carol", 5)).toBe("none");
  });
});
