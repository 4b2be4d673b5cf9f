import type { GitHubApp } from "../../src/github/create-github-app.js";
import { createViewerAccessCache } from "../../src/web/create-viewer-access-cache.js";
import type { ViewerAccess } from "../../src/web/read-viewer-access.js";
import { testLogger } from "../helpers/test-logger.js";

describe("createViewerAccessCache", () => {
  const github = {} as GitHubApp;
  const log = testLogger();
  const visible: ViewerAccess = { kind: "visible", private: false, canWrite: false };

  it("asks again once the TTL is over, and per installation, repository and person", async () => {
    let clock = 0;
    const asked: string[] = [];
    const read = createViewerAccessCache({
      ttlMs: 1_000,
      now: () => clock,
      read: async (p) => {
        asked.push(`${p.installationId} ${p.repository} ${p.session?.login ?? "-"}`);
        return visible;
      },
    });
    const view = (installationId: number, repository: string, login?: string) =>
      read({
        github,
        installationId,
        repository,
        session: login ? { userId: login.length, login } : undefined,
        log,
      });
    for (let i = 0; i < 100; i++) await view(1, "octo/hello");
    await view(2, "octo/hello");
    await view(1, "octo/other");
    await view(1, "octo/hello", "mona");
    await view(1, "octo/hello", "mona");
    clock = 999;
    await view(1, "octo/hello");
    clock = 1_001;
    await view(1, "octo/hello");
    expect(asked).toEqual([
      "1 octo/hello -",
      "2 octo/hello -",
      "1 octo/other -",
      "1 octo/hello mona",
      "1 octo/hello -",
    ]);
  });

  it("does not remember a failed read, and stays within its size", async () => {
    let fail = true;
    let reads = 0;
    const read = createViewerAccessCache({
      maxEntries: 2,
      read: async () => {
        reads++;
        if (fail) throw new Error("GitHub is down");
        return visible;
      },
    });
    const view = (repository: string) =>
      read({ github, installationId: 1, repository, session: undefined, log });
    await expect(view("octo/a")).rejects.toThrow("GitHub is down");
    fail = false;
    await expect(view("octo/a")).resolves.toEqual(visible);
    await view("octo/b");
    await view("octo/c"); // pushes out octo/a, the oldest
    await view("octo/a");
    expect(reads).toBe(5);
  });

  it("does not remember an answer GitHub's passing trouble made, nor drops a newer entry for it", async () => {
    const answers: Array<(access: ViewerAccess) => void> = [];
    let reads = 0;
    const read = createViewerAccessCache({
      read: () => {
        reads++;
        return new Promise<ViewerAccess>((resolve) => answers.push(resolve));
      },
    });
    const view = () =>
      read({ github, installationId: 1, repository: "octo/a", session: undefined, log });
    const first = view();
    answers[0]?.({ kind: "hidden", transient: true });
    expect(await first).toEqual({ kind: "hidden", transient: true });
    const second = view();
    answers[1]?.(visible);
    expect(await second).toEqual(visible);
    await view();
    expect(reads).toBe(2);
  });
});
