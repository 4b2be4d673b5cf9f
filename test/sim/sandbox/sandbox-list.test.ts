import { randomUUID } from "node:crypto";
import { Sandbox, type SandboxInfo } from "e2b/dist/index.mjs";
import { isolations, useSandboxServer } from "./use-sandbox-server.js";

/**
 * `Sandbox.list` against the stand-in, through the real SDK's `SandboxPaginator`, as
 * E2B's own list tests use it: filters (metadata, state, startedAfter, template), the
 * start-time order and cursor pages.
 */
for (const { isolation, available } of isolations) {
  const title = available
    ? `Sandbox.list (isolation ${isolation})`
    : `Sandbox.list (isolation ${isolation}: skipped, bubblewrap is not available here)`;
  (available ? describe : describe.skip)(title, () => {
    const world = useSandboxServer(isolation);
    /** Sandboxes tagged for one test only, so tests never see each other's. */
    const tagged = async (test: string, extra: Record<string, string> = {}) =>
      world.create("ship-opencode", { metadata: { test, ...extra } });
    const list = (options: Parameters<typeof Sandbox.list>[0] = {}) =>
      Sandbox.list({ ...options, ...world.connection() });
    const ids = (sandboxes: SandboxInfo[]) => sandboxes.map((sandbox) => sandbox.sandboxId);

    it("filters by metadata, every pair having to match", async () => {
      const test = randomUUID();
      const worker = await tagged(test, { role: "worker" });
      await tagged(test, { role: "other" });
      await tagged(randomUUID());

      expect(await list({ query: { metadata: { test } } }).nextItems()).toHaveLength(2);
      const found = await list({ query: { metadata: { test, role: "worker" } } }).nextItems();
      expect(ids(found)).toEqual([worker.sandboxId]);
      expect(found[0]).toMatchObject({ templateId: "ship-opencode", state: "running" });
      expect(found[0]?.metadata).toEqual({ test, role: "worker" });
    });

    it("lists running and paused sandboxes unless a state is asked for", async () => {
      const test = randomUUID();
      const running = await tagged(test);
      const paused = await tagged(test);
      expect(await paused.pause()).toBe(true);

      const all = await list({ query: { metadata: { test } } }).nextItems();
      expect(all.map((sandbox) => [sandbox.sandboxId, sandbox.state])).toEqual([
        [paused.sandboxId, "paused"],
        [running.sandboxId, "running"],
      ]);
      const onlyRunning = await list({ query: { metadata: { test }, state: ["running"] } });
      expect(ids(await onlyRunning.nextItems())).toEqual([running.sandboxId]);
      const onlyPaused = await list({ query: { metadata: { test }, state: ["paused"] } });
      expect(ids(await onlyPaused.nextItems())).toEqual([paused.sandboxId]);
    });

    it("pages with limit and nextToken, newest first, across running and paused", async () => {
      const test = randomUUID();
      const first = await tagged(test);
      const second = await tagged(test);
      const third = await tagged(test);
      await second.pause();

      const paginator = list({ limit: 2, query: { metadata: { test } } });
      const page1 = await paginator.nextItems();
      expect(ids(page1)).toEqual([third.sandboxId, second.sandboxId]);
      expect(page1.map((sandbox) => sandbox.state)).toEqual(["running", "paused"]);
      expect(paginator.hasNext).toBe(true);
      expect(paginator.nextToken).toEqual(expect.any(String));

      // A sandbox made between pages does not shift the next page (a cursor, not an offset).
      await tagged(test);
      const page2 = await paginator.nextItems();
      expect(ids(page2)).toEqual([first.sandboxId]);
      expect(paginator.hasNext).toBe(false);
      expect(paginator.nextToken).toBeUndefined();
      await expect(paginator.nextItems()).rejects.toThrow("No more items to fetch");

      const collected: SandboxInfo[] = [];
      const everything = list({ limit: 1, query: { metadata: { test } } });
      while (everything.hasNext) collected.push(...(await everything.nextItems()));
      expect(collected).toHaveLength(4);
    });

    it("orders by start time, ascending or descending", async () => {
      const test = randomUUID();
      const older = await tagged(test);
      const newer = await tagged(test);
      const asc = await list({ query: { metadata: { test } }, order: "asc" }).nextItems();
      expect(ids(asc)).toEqual([older.sandboxId, newer.sandboxId]);
      const desc = await list({ query: { metadata: { test } }, order: "desc" }).nextItems();
      expect(ids(desc)).toEqual([newer.sandboxId, older.sandboxId]);
    });

    it("filters by start time: startedAfter includes a sandbox started at that instant", async () => {
      const test = randomUUID();
      const sandbox = await tagged(test);
      const { startedAt } = await sandbox.getInfo();

      const at = await list({ query: { metadata: { test }, startedAfter: startedAt } });
      expect(ids(await at.nextItems())).toEqual([sandbox.sandboxId]);
      const later = new Date(startedAt.getTime() + 1000);
      const after = await list({ query: { metadata: { test }, startedAfter: later } });
      expect(await after.nextItems()).toEqual([]);
    });

    it("filters by template id, an unknown template matching none", async () => {
      const test = randomUUID();
      const opencode = await tagged(test);
      const bare = await world.create("bare", { metadata: { test } });

      const ofTemplate = (template: string) =>
        list({ query: { metadata: { test }, template } }).nextItems();
      expect(ids(await ofTemplate("ship-opencode"))).toEqual([opencode.sandboxId]);
      expect(ids(await ofTemplate("bare"))).toEqual([bare.sandboxId]);
      expect(await ofTemplate("unknown-template")).toEqual([]);
    });

    it("leaves a killed sandbox out", async () => {
      const test = randomUUID();
      const sandbox = await tagged(test);
      expect(await sandbox.kill()).toBe(true);
      const listed = await list({ query: { metadata: { test }, state: ["running"] } });
      expect(await listed.nextItems()).toEqual([]);
    });

    it("answers E2B's headers and refuses what its API description refuses", async () => {
      const test = randomUUID();
      await tagged(test);
      await tagged(test);
      const { apiUrl, apiKey } = world.connection();
      const metadata = new URLSearchParams({ test }).toString();
      const url = `${apiUrl}/v2/sandboxes?${new URLSearchParams({ metadata, limit: "1" })}`;
      const response = await fetch(url, { headers: { "X-API-KEY": apiKey } });
      expect(response.status).toBe(200);
      expect(response.headers.get("x-total-running")).toBe("2");
      expect(response.headers.get("x-next-token")).toEqual(expect.any(String));

      await expect(list({ limit: 101 }).nextItems()).rejects.toThrow(/400: invalid limit/);
      const badState = `${apiUrl}/v2/sandboxes?state=sleeping`;
      expect((await fetch(badState, { headers: { "X-API-KEY": apiKey } })).status).toBe(400);
      const badToken = `${apiUrl}/v2/sandboxes?nextToken=garbage`;
      expect((await fetch(badToken, { headers: { "X-API-KEY": apiKey } })).status).toBe(400);
    });
  });
}
