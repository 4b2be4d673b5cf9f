import type { Stats } from "node:fs";
import { lstat } from "node:fs/promises";
import path from "node:path";
import { resolveSandboxPath, type SandboxPath } from "./resolve-sandbox-path.js";
import { sandboxUser } from "./sandbox-user.js";

/** envd's `filesystem.EntryInfo` in proto3 JSON form, as the SDK decodes it. */
export interface EntryInfoJson {
  name: string;
  type: "FILE_TYPE_FILE" | "FILE_TYPE_DIRECTORY" | "FILE_TYPE_SYMLINK" | "FILE_TYPE_UNSPECIFIED";
  path: string;
  /** int64, which proto3 JSON writes as a decimal string. */
  size: string;
  /** Permission bits only, as envd reports them. */
  mode: number;
  /** Go's `FileMode.String()`, e.g. `-rw-r--r--`, `drwxr-xr-x`, `Lrwxrwxrwx`. */
  permissions: string;
  owner: string;
  group: string;
  /** RFC 3339 in UTC: the only Timestamp form proto3 JSON accepts. */
  modifiedTime: string;
  symlinkTarget?: string;
}

/**
 * Describes a sandbox file without following a final symlink; a symlink's target is
 * reported as the sandbox sees it. Files the server created or the sandbox user wrote
 * belong to the server's uid on the host, which is `user` inside, so that is the owner
 * reported. Rejects with the fs error (ENOENT...) when the file is missing.
 */
export async function toEntryInfo(root: string, entry: SandboxPath): Promise<EntryInfoJson> {
  const stats = await lstat(entry.hostPath);
  const info: EntryInfoJson = {
    name: path.posix.basename(entry.sandboxPath) || "/",
    type: fileType(stats),
    path: entry.sandboxPath,
    size: String(stats.size),
    mode: stats.mode & 0o777,
    permissions: permissions(stats),
    owner: stats.uid === process.getuid?.() ? sandboxUser.name : String(stats.uid),
    group: stats.gid === process.getgid?.() ? sandboxUser.name : String(stats.gid),
    modifiedTime: stats.mtime.toISOString(),
  };
  if (stats.isSymbolicLink()) {
    info.symlinkTarget = (await resolveSandboxPath(root, entry.sandboxPath)).sandboxPath;
  }
  return info;
}

function fileType(stats: Stats): EntryInfoJson["type"] {
  if (stats.isSymbolicLink()) return "FILE_TYPE_SYMLINK";
  if (stats.isDirectory()) return "FILE_TYPE_DIRECTORY";
  if (stats.isFile()) return "FILE_TYPE_FILE";
  return "FILE_TYPE_UNSPECIFIED";
}

function permissions(stats: Stats): string {
  const kind = stats.isDirectory()
    ? "d"
    : stats.isSymbolicLink()
      ? "L"
      : stats.isFIFO()
        ? "p"
        : stats.isSocket()
          ? "S"
          : stats.isCharacterDevice()
            ? "c"
            : stats.isBlockDevice()
              ? "D"
              : "-";
  let bits = "";
  for (let shift = 6; shift >= 0; shift -= 3) {
    const triple = (stats.mode >> shift) & 0o7;
    bits += `${triple & 4 ? "r" : "-"}${triple & 2 ? "w" : "-"}${triple & 1 ? "x" : "-"}`;
  }
  return kind + bits;
}
