import { randomBytes } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "pino";
import { copySandboxTree } from "./copy-sandbox-tree.js";
import { createLocalSandbox, type LocalSandbox } from "./create-local-sandbox.js";
import {
  createSnapshotStore,
  type SandboxSnapshot,
  type SnapshotStore,
} from "./create-snapshot-store.js";
import type { SandboxTemplate } from "./prepare-sandbox-template.js";
import { sandboxMountPoints } from "./sandbox-mount-points.js";

/** What `POST /v2/sandboxes` asks for, parsed. */
interface CreateSandboxRequest {
  /** A template id or name, or a snapshot's id or name. */
  templateId: string;
  metadata: Record<string, string>;
  envVars: Record<string, string>;
  timeoutMs: number;
  allowPublicTraffic: boolean;
  lifecycle?: SandboxLifecycle | undefined;
}

/** E2B's `lifecycle`: what the timeout does, and whether traffic wakes a paused sandbox. */
export interface SandboxLifecycle {
  onTimeout: "kill" | "pause";
  /** An auto-pause without memory (E2B's `autoPauseMemory: false`) kills the processes. */
  keepMemory: boolean;
  autoResume: boolean;
}

/** A live sandbox (running or paused) with what the control plane reports about it. */
export interface SandboxEntry {
  readonly sandbox: LocalSandbox;
  /** The template's alias: a named snapshot's name for the sandboxes made from it. */
  readonly alias: string | undefined;
  readonly lifecycle: SandboxLifecycle;
}

/** The sandboxes and snapshots of one server. */
export interface SandboxRegistry {
  /** Creates a sandbox; from a snapshot when `templateId` names one (with a copy of its files). */
  create(request: CreateSandboxRequest): Promise<LocalSandbox>;
  /** A running sandbox, as envd and the port proxy reach it; a paused, killed or expired one is not. */
  get(id: string): LocalSandbox | undefined;
  /** Running sandboxes. */
  list(): LocalSandbox[];
  /**
   * Resumes a paused sandbox created with auto-resume, as traffic to it does on E2B,
   * for the timeout it was created with. Resolves whether it now runs.
   */
  wake(id: string): Promise<boolean>;
  /** A running or paused sandbox. */
  entry(id: string): SandboxEntry | undefined;
  /** Running and paused sandboxes, oldest first. */
  entries(): SandboxEntry[];
  /** Snapshots the sandbox's files while its processes are stopped; it then runs on untouched. */
  createSnapshot(sandboxId: string, name: string | undefined): Promise<SandboxSnapshot>;
  /**
   * New sandboxes from one consistent copy of the sandbox's files (E2B's fork), each
   * with the source's metadata and env vars.
   */
  fork(sandboxId: string, count: number, timeoutMs: number): Promise<Array<LocalSandbox | Error>>;
  readonly snapshots: Pick<SnapshotStore, "find" | "list" | "delete" | "wasDeleted">;
  /** Kills every sandbox, waits until their processes and directories are gone, deletes the snapshots. */
  killAll(): Promise<void>;
}

/** What a sandbox starts from besides its template: a copy of these files, these env vars. */
interface Seed {
  dir: string;
  /** What the sandbox reports as its template, and its alias. */
  templateId: string;
  alias: string | undefined;
  /** The local template (tool set) it runs on. */
  baseTemplateId: string;
  envVars: Readonly<Record<string, string>>;
}

const idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
const defaultLifecycle: SandboxLifecycle = {
  onTimeout: "kill",
  keepMemory: true,
  autoResume: false,
};

/**
 * Keeps the sandboxes of one server, each in `<dir>/<sandbox id>`, and its snapshots
 * in `<dir>/.snapshots` (a name no sandbox id can take). Snapshots live as long as the
 * server. A snapshot copies what the sandbox sees as `/` (the home's tmpfs under
 * bwrap included, the host's read-only mounts left out); a sandbox made from it gets
 * its own copy, written in after its init starts and before anyone can reach it, so
 * no two sandboxes, and no sandbox and a snapshot, share a file.
 */
export function createSandboxRegistry(params: {
  dir: string;
  /** What a sandbox of template `templateId` is made from. */
  templateFor: (templateId: string) => SandboxTemplate;
  log: Logger;
}): SandboxRegistry {
  const entries = new Map<string, SandboxEntry & { baseTemplateId: string; timeoutMs: number }>();
  const dying = new Set<Promise<void>>();
  const snapshots = createSnapshotStore({ dir: path.join(params.dir, ".snapshots") });

  const start = async (
    request: CreateSandboxRequest,
    seed: Seed | undefined,
  ): Promise<LocalSandbox> => {
    const id = newSandboxId();
    const dir = path.join(params.dir, id);
    const baseTemplateId = seed?.baseTemplateId ?? request.templateId;
    const lifecycle = request.lifecycle ?? defaultLifecycle;
    const sandbox = await createLocalSandbox({
      ...request,
      templateId: seed?.templateId ?? request.templateId,
      envVars: { ...seed?.envVars, ...request.envVars },
      id,
      dir,
      template: params.templateFor(baseTemplateId),
      log: params.log,
      onTimeout:
        lifecycle.onTimeout === "pause"
          ? { action: "pause", keepMemory: lifecycle.keepMemory }
          : { action: "kill" },
      onGone: (gone, death) => {
        entries.delete(gone.id);
        // Kept until done, so killAll also waits for deaths it did not start (timeouts).
        dying.add(death);
        void death.finally(() => dying.delete(death));
      },
    }).catch(async (error: unknown) => {
      await rm(dir, { recursive: true, force: true });
      throw error;
    });
    if (seed) {
      await copySandboxTree(seed.dir, sandbox.dir).catch(async (error: unknown) => {
        await sandbox.kill("its snapshot could not be copied in");
        throw error;
      });
    }
    if (sandbox.alive) {
      entries.set(id, {
        sandbox,
        alias: seed?.alias,
        lifecycle,
        baseTemplateId,
        timeoutMs: request.timeoutMs,
      });
    }
    params.log.debug({ sandboxId: id, templateId: request.templateId }, "sandbox created");
    return sandbox;
  };

  /** Copies what the sandbox sees as `/`, less the host's read-only and kernel mounts. */
  const copyFiles = async (sandbox: LocalSandbox, into: string) =>
    copySandboxTree(sandbox.dir, into, await sandboxMountPoints(sandbox.dir));

  const live = (id: string) => {
    const entry = entries.get(id);
    return entry?.sandbox.alive ? entry : undefined;
  };

  return {
    create(request) {
      const made = snapshots.use(request.templateId, (snapshot) =>
        start(request, {
          dir: snapshot.dir,
          templateId: snapshot.templateId,
          alias: snapshot.name,
          baseTemplateId: snapshot.baseTemplateId,
          envVars: snapshot.envVars,
        }),
      );
      return made ?? start(request, undefined);
    },
    get: (id) => {
      const sandbox = live(id)?.sandbox;
      return sandbox && !sandbox.paused ? sandbox : undefined;
    },
    list: () =>
      [...entries.values()]
        .map((entry) => entry.sandbox)
        .filter((sandbox) => sandbox.alive && !sandbox.paused),
    async wake(id) {
      const entry = live(id);
      if (!entry?.sandbox.paused || !entry.lifecycle.autoResume) return false;
      await entry.sandbox.resume(entry.timeoutMs);
      return entry.sandbox.alive && !entry.sandbox.paused;
    },
    entry: live,
    entries: () => [...entries.values()].filter((entry) => entry.sandbox.alive),
    async createSnapshot(sandboxId, name) {
      const entry = live(sandboxId);
      if (!entry) throw new Error(`sandbox ${sandboxId} not found`);
      return entry.sandbox.whileFrozen(() =>
        snapshots.save({
          name,
          sandboxId,
          baseTemplateId: entry.baseTemplateId,
          envVars: entry.sandbox.envVars,
          capture: (into) => copyFiles(entry.sandbox, into),
        }),
      );
    },
    async fork(sandboxId, count, timeoutMs) {
      const entry = live(sandboxId);
      if (!entry) throw new Error(`sandbox ${sandboxId} not found`);
      const { sandbox } = entry;
      // One copy for all forks, captured once as E2B does, gone once each has its own.
      const dir = path.join(params.dir, ".forks", newSandboxId());
      await mkdir(dir, { recursive: true });
      try {
        await sandbox.whileFrozen(() => copyFiles(sandbox, dir));
        const request: CreateSandboxRequest = {
          templateId: sandbox.templateId,
          metadata: { ...sandbox.metadata },
          envVars: {},
          timeoutMs,
          allowPublicTraffic: sandbox.trafficAccessToken === undefined,
          lifecycle: entry.lifecycle,
        };
        const seed: Seed = {
          dir,
          templateId: sandbox.templateId,
          alias: entry.alias,
          baseTemplateId: entry.baseTemplateId,
          envVars: sandbox.envVars,
        };
        const forks = await Promise.allSettled(
          Array.from({ length: count }, () => start(request, seed)),
        );
        return forks.map((fork) =>
          fork.status === "fulfilled"
            ? fork.value
            : fork.reason instanceof Error
              ? fork.reason
              : new Error(String(fork.reason)),
        );
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    snapshots,
    async killAll() {
      await Promise.all(
        [...entries.values()].map((entry) => entry.sandbox.kill("the server stopped")),
      );
      await Promise.all([...dying]);
      await snapshots.clear();
    },
  };
}

/** E2B's ids are 20 lowercase letters and digits. */
function newSandboxId(): string {
  return [...randomBytes(20)].map((byte) => idAlphabet[byte % idAlphabet.length]).join("");
}
