import { randomBytes } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";

/** A persistent copy of a sandbox's files that new sandboxes start from. */
export interface SandboxSnapshot {
  /**
   * What E2B calls it and `Sandbox.create` takes: `<templateId>:default`, or for a
   * named one `local/<name>:default` (team namespace, name, tag).
   */
  readonly snapshotId: string;
  /** The snapshot's own template id: what sandboxes made from it report. */
  readonly templateId: string;
  readonly name: string | undefined;
  /** Full names (namespace, name, tag); empty when unnamed. */
  readonly names: readonly string[];
  /** The sandbox it was last taken from. */
  readonly sandboxId: string;
  /** The local template (tool set) sandboxes made from it run on. */
  readonly baseTemplateId: string;
  /** The env vars of the sandbox it was taken from, which live on in its envd. */
  readonly envVars: Readonly<Record<string, string>>;
  /** Its files: what the sandbox saw as `/`, without the host's read-only mounts. */
  readonly dir: string;
  readonly createdAt: Date;
}

/** The snapshots of one server. */
export interface SnapshotStore {
  /**
   * Makes a snapshot of the files `capture` copies into the directory it is given.
   * A name already taken gets the new files under the same id, as E2B assigns a new
   * build to the existing snapshot template.
   */
  save(params: {
    name: string | undefined;
    sandboxId: string;
    baseTemplateId: string;
    envVars: Readonly<Record<string, string>>;
    capture: (dir: string) => Promise<void>;
  }): Promise<SandboxSnapshot>;
  /** The snapshot `ref` names: its id, template id or name, with or without namespace and tag. */
  find(ref: string): SandboxSnapshot | undefined;
  /** Whether `ref` named a snapshot that was deleted since: creating from it is a 404. */
  wasDeleted(ref: string): boolean;
  /**
   * Runs `read` on the snapshot `ref` names; its files are not deleted meanwhile,
   * even when the snapshot is. Undefined when there is none.
   */
  use<T>(ref: string, read: (snapshot: SandboxSnapshot) => Promise<T>): Promise<T> | undefined;
  /** Newest first, filtered by source sandbox and by name (as `find` matches). */
  list(filter: { sandboxId?: string | undefined; name?: string | undefined }): SandboxSnapshot[];
  /** Deletes it; false when there is none. */
  delete(ref: string): Promise<boolean>;
  /** Deletes every snapshot and its files. */
  clear(): Promise<void>;
}

/** The namespace E2B puts a team's named templates in; the stand-in has one team. */
const namespace = "local";
const defaultTag = "default";
const idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

/** Keeps snapshots in `<dir>/<template id>-<build>`, one directory per build. */
export function createSnapshotStore(params: { dir: string }): SnapshotStore {
  const snapshots: SandboxSnapshot[] = [];
  const deleted = new Set<string>();
  const readers = new Map<string, number>();
  const unused = new Set<string>();

  const removeWhenUnused = async (dir: string) => {
    if ((readers.get(dir) ?? 0) > 0) unused.add(dir);
    else await rm(dir, { recursive: true, force: true });
  };

  const store: SnapshotStore = {
    async save(request) {
      const previous = request.name === undefined ? undefined : store.find(request.name);
      const templateId = previous?.templateId ?? newTemplateId();
      const dir = path.join(params.dir, `${templateId}-${randomBytes(4).toString("hex")}`);
      await mkdir(dir, { recursive: true });
      try {
        await request.capture(dir);
      } catch (error) {
        await rm(dir, { recursive: true, force: true });
        throw error;
      }
      const fullName =
        request.name === undefined ? undefined : `${namespace}/${request.name}:${defaultTag}`;
      const snapshot: SandboxSnapshot = {
        snapshotId: fullName ?? `${templateId}:${defaultTag}`,
        templateId,
        name: request.name,
        names: fullName ? [fullName] : [],
        sandboxId: request.sandboxId,
        baseTemplateId: request.baseTemplateId,
        envVars: { ...request.envVars },
        dir,
        createdAt: new Date(),
      };
      if (previous) {
        snapshots.splice(snapshots.indexOf(previous), 1);
        await removeWhenUnused(previous.dir);
      }
      snapshots.push(snapshot);
      return snapshot;
    },
    find: (ref) => snapshots.find((snapshot) => names(ref, snapshot)),
    wasDeleted: (ref) => deleted.has(bare(ref)),
    use(ref, read) {
      const snapshot = store.find(ref);
      if (!snapshot) return undefined;
      readers.set(snapshot.dir, (readers.get(snapshot.dir) ?? 0) + 1);
      return read(snapshot).finally(async () => {
        const left = (readers.get(snapshot.dir) ?? 1) - 1;
        if (left > 0) readers.set(snapshot.dir, left);
        else readers.delete(snapshot.dir);
        if (left <= 0 && unused.delete(snapshot.dir)) await removeWhenUnused(snapshot.dir);
      });
    },
    list: (filter) =>
      snapshots
        .filter(
          (snapshot) =>
            (filter.sandboxId === undefined || snapshot.sandboxId === filter.sandboxId) &&
            (filter.name === undefined || names(filter.name, snapshot)),
        )
        .reverse(),
    async delete(ref) {
      const snapshot = store.find(ref);
      if (!snapshot) return false;
      snapshots.splice(snapshots.indexOf(snapshot), 1);
      deleted.add(snapshot.templateId);
      if (snapshot.name !== undefined) deleted.add(snapshot.name);
      await removeWhenUnused(snapshot.dir);
      return true;
    },
    async clear() {
      snapshots.splice(0);
      await rm(params.dir, { recursive: true, force: true });
    },
  };
  return store;
}

/** Whether `ref` names `snapshot`: by template id or name, namespace and tag optional. */
function names(ref: string, snapshot: SandboxSnapshot): boolean {
  const tag = ref.includes(":") ? ref.slice(ref.lastIndexOf(":") + 1) : defaultTag;
  if (tag !== defaultTag) return false;
  const key = bare(ref);
  return key === snapshot.templateId || (snapshot.name !== undefined && key === snapshot.name);
}

/** `local/name:tag` -> `name`. */
function bare(ref: string): string {
  const untagged = ref.includes(":") ? ref.slice(0, ref.lastIndexOf(":")) : ref;
  return untagged.startsWith(`${namespace}/`) ? untagged.slice(namespace.length + 1) : untagged;
}

/** E2B's template ids are 20 lowercase letters and digits, like sandbox ids. */
function newTemplateId(): string {
  return [...randomBytes(20)].map((byte) => idAlphabet[byte % idAlphabet.length]).join("");
}
