import { Sandbox } from "e2b/dist/index.mjs";
import { resolveIsolation } from "../../../src/sim/sandbox/resolve-isolation.js";
import {
  type SandboxServer,
  startSandboxServer,
} from "../../../src/sim/sandbox/start-sandbox-server.js";
import { testLogger } from "../../helpers/test-logger.js";

/** What every SDK call takes to reach one stand-in (no process-wide E2B_* env). */
export interface SandboxConnection {
  apiKey: string;
  apiUrl: string;
  sandboxUrl: string;
}

/** The isolations to run a suite in, and whether this machine can (bwrap needs bubblewrap). */
export const isolations: ReadonlyArray<{ isolation: "none" | "bwrap"; available: boolean }> = [
  { isolation: "none", available: true },
  { isolation: "bwrap", available: (await resolveIsolation("auto")) === "bwrap" },
];

/**
 * Starts a stand-in in `isolation` for the enclosing describe (stopped after it) and
 * kills what `create` made after each test.
 */
export function useSandboxServer(isolation: "none" | "bwrap"): {
  server: () => SandboxServer;
  connection: () => SandboxConnection;
  create: (
    template?: string,
    options?: Omit<NonNullable<Parameters<typeof Sandbox.create>[1]>, keyof SandboxConnection>,
  ) => Promise<Sandbox>;
  /** Kills this sandbox after the test too (one made outside `create`). */
  track: (sandbox: Sandbox) => Sandbox;
} {
  let server: SandboxServer | undefined;
  const made: Sandbox[] = [];
  beforeAll(async () => {
    server = await startSandboxServer({ isolation, log: testLogger() });
  });
  afterAll(async () => {
    await server?.stop();
  });
  afterEach(async () => {
    await Promise.all(made.splice(0).map((sandbox) => sandbox.kill().catch(() => false)));
  });
  const started = () => {
    if (!server) throw new Error("the stand-in has not started");
    return server;
  };
  const connection = () => {
    const { apiKey, apiUrl, sandboxUrl } = started();
    return { apiKey, apiUrl, sandboxUrl };
  };
  const track = (sandbox: Sandbox) => {
    made.push(sandbox);
    return sandbox;
  };
  return {
    server: started,
    connection,
    track,
    create: async (template = "ship-opencode", options = {}) =>
      track(await Sandbox.create(template, { ...options, ...connection() })),
  };
}
