import {
  chmod,
  copyFile,
  lstat,
  mkdir,
  readdir,
  readlink,
  rm,
  symlink,
  utimes,
} from "node:fs/promises";
import path from "node:path";

/**
 * Copies the tree at `from` into `to`, merging into directories that exist there and
 * replacing files. Nothing is followed: a symlink is copied as the link it is (a link
 * a sandbox process planted never makes the server read outside the sandbox), and
 * sockets, fifos and devices are left out, as a disk image would not hold them live.
 * Modes and modification times are kept. `skip` lists paths relative to `from` (as
 * `/usr`) whose subtrees stay out. The source must not change meanwhile: callers
 * freeze the sandbox first.
 */
export async function copySandboxTree(
  from: string,
  to: string,
  skip: readonly string[] = [],
): Promise<void> {
  const skipped = new Set(skip.map((entry) => path.posix.join("/", entry)));
  await copyEntry(from, to, "/", skipped);
}

async function copyEntry(
  from: string,
  to: string,
  relative: string,
  skipped: ReadonlySet<string>,
): Promise<void> {
  if (skipped.has(relative)) return;
  const source = path.join(from, relative);
  const target = path.join(to, relative);
  const info = await lstat(source).catch(() => undefined);
  if (!info) return;
  if (info.isDirectory()) {
    const existing = await lstat(target).catch(() => undefined);
    if (existing && !existing.isDirectory()) await rm(target, { force: true });
    if (!existing?.isDirectory()) await mkdir(target, { mode: info.mode & 0o7777 });
    for (const name of await readdir(source)) {
      await copyEntry(from, to, path.posix.join(relative, name), skipped);
    }
    await chmod(target, info.mode & 0o7777);
    await utimes(target, info.atime, info.mtime);
    return;
  }
  if (info.isSymbolicLink()) {
    const link = await readlink(source);
    const existing = await lstat(target).catch(() => undefined);
    if (existing?.isSymbolicLink() && (await readlink(target)) === link) return;
    if (existing) await rm(target, { recursive: true, force: true });
    await symlink(link, target);
    return;
  }
  if (!info.isFile()) return;
  const existing = await lstat(target).catch(() => undefined);
  // copyFile would write through a symlink at the target; replace it instead.
  if (existing && !existing.isFile()) await rm(target, { recursive: true, force: true });
  await copyFile(source, target);
  await chmod(target, info.mode & 0o7777);
  await utimes(target, info.atime, info.mtime);
}
