import { lstat, mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { ConnectRpcError } from "./connect-rpc-error.js";
import type { EnvdService } from "./envd-service.js";
import { fsErrorToConnect } from "./fs-error-to-connect.js";
import { resolveSandboxPath, type SandboxPath } from "./resolve-sandbox-path.js";
import { type EntryInfoJson, toEntryInfo } from "./to-entry-info.js";

const pathSchema = z.object({ path: z.string().default("") });
const listDirSchema = z.object({
  path: z.string().default(""),
  depth: z.number().int().nonnegative().default(0),
});
const moveSchema = z.object({ source: z.string(), destination: z.string() });

/**
 * envd's `filesystem.Filesystem` service over the sandbox's directory. Paths resolve
 * as `resolveSandboxPath` does (relative to `/home/user`, symlinks confined to the
 * sandbox); errors carry the codes the SDK maps (`not_found` makes `exists()` false,
 * `already_exists` makes `makeDir()` false). Watching directories is not offered.
 */
export const filesystemRpc: EnvdService = {
  unary: {
    async Stat(message, sandbox) {
      const target = await resolve(sandbox.dir, pathSchema.parse(message).path, false);
      return { entry: await describe(sandbox.dir, target) };
    },

    async MakeDir(message, sandbox) {
      const target = await resolve(sandbox.dir, pathSchema.parse(message).path, true);
      const existing = await stat(target.hostPath).catch(() => undefined);
      if (existing?.isDirectory()) {
        throw new ConnectRpcError(
          "already_exists",
          `directory already exists: ${target.sandboxPath}`,
        );
      }
      if (existing) {
        throw new ConnectRpcError(
          "invalid_argument",
          `path already exists but it is not a directory: ${target.sandboxPath}`,
        );
      }
      try {
        await mkdir(target.hostPath, { recursive: true });
      } catch (error) {
        throw fsErrorToConnect(error, target.sandboxPath);
      }
      return { entry: await describe(sandbox.dir, target) };
    },

    async Move(message, sandbox) {
      const request = moveSchema.parse(message);
      const source = await resolve(sandbox.dir, request.source, false);
      const destination = await resolve(sandbox.dir, request.destination, false);
      try {
        await lstat(source.hostPath);
        await mkdir(path.dirname(destination.hostPath), { recursive: true });
        await rename(source.hostPath, destination.hostPath);
      } catch (error) {
        throw fsErrorToConnect(error, source.sandboxPath);
      }
      return { entry: await describe(sandbox.dir, destination) };
    },

    async ListDir(message, sandbox) {
      const request = listDirSchema.parse(message);
      const dir = await resolve(sandbox.dir, request.path, true);
      const info = await stat(dir.hostPath).catch((error: unknown) => {
        throw fsErrorToConnect(error, dir.sandboxPath);
      });
      if (!info.isDirectory()) {
        throw new ConnectRpcError(
          "invalid_argument",
          `path is not a directory: ${dir.sandboxPath}`,
        );
      }
      const entries: EntryInfoJson[] = [];
      await walk(sandbox.dir, dir, Math.max(request.depth, 1), entries);
      return { entries };
    },

    async Remove(message, sandbox) {
      const target = await resolve(sandbox.dir, pathSchema.parse(message).path, false);
      try {
        await rm(target.hostPath, { recursive: true, force: true });
      } catch (error) {
        throw fsErrorToConnect(error, target.sandboxPath);
      }
      return {};
    },
  },
  stream: {},
};

async function resolve(root: string, requested: string, followLast: boolean): Promise<SandboxPath> {
  try {
    return await resolveSandboxPath(root, requested, { followLast });
  } catch (error) {
    throw fsErrorToConnect(error, requested);
  }
}

async function describe(root: string, target: SandboxPath): Promise<EntryInfoJson> {
  try {
    return await toEntryInfo(root, target);
  } catch (error) {
    throw fsErrorToConnect(error, target.sandboxPath);
  }
}

/** Entries under `dir` down to `depth` levels, not descending into symlinked dirs. */
async function walk(
  root: string,
  dir: SandboxPath,
  depth: number,
  into: EntryInfoJson[],
): Promise<void> {
  const names = (await readdir(dir.hostPath)).sort();
  for (const name of names) {
    const entry = {
      sandboxPath: path.posix.join(dir.sandboxPath, name),
      hostPath: path.join(dir.hostPath, name),
    };
    const info = await toEntryInfo(root, entry).catch(() => undefined);
    if (!info) continue; // Removed while listing.
    into.push(info);
    if (depth > 1 && info.type === "FILE_TYPE_DIRECTORY") await walk(root, entry, depth - 1, into);
  }
}
