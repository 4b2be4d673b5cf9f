import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  chmod,
  copyFile,
  link,
  lstat,
  mkdir,
  readdir,
  readlink,
  realpath,
  rename,
  rm,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import type { DebianPackage } from "./read-debian-packages.js";
import { resolvePackageClosure } from "./resolve-package-closure.js";
import type { SandboxTemplateSpec } from "./sandbox-template-specs.js";
import { sudoShim } from "./sudo-shim.js";

const run = promisify(execFile);

/** Bumped when the layout of a built root changes, so older caches are not reused. */
const layoutVersion = 1;

/** What a sandbox never needs of a package: documentation and translations. */
const skipped = [
  "/usr/share/doc/",
  "/usr/share/man/",
  "/usr/share/info/",
  "/usr/share/locale/",
  "/usr/share/lintian/",
];

/** A template's files, ready to be a sandbox's `/usr`. */
export interface TemplateRoot {
  /** A directory holding `usr/`: the template's programs and libraries, nothing else. */
  readonly dir: string;
  /** Packages the template asks for that this machine does not have. */
  readonly missing: readonly string[];
}

/**
 * Builds (once per machine, cached under `cacheDir` by the packages' versions) a
 * template's `/usr`: the files of its Debian packages, their dependencies and the
 * essential set, hard-linked from this machine's installed packages (copied across
 * file systems), with `/etc/alternatives` links whose programs it has, the spec's
 * links, and `sudo`. When this machine's Node.js is not a package, the running Node
 * and its npm go to `/usr/local`, as in Node's own images.
 */
export async function buildTemplateRoot(params: {
  name: string;
  spec: SandboxTemplateSpec;
  installed: ReadonlyMap<string, DebianPackage>;
  cacheDir: string;
}): Promise<TemplateRoot> {
  const { spec, installed } = params;
  const closure = resolvePackageClosure(installed, spec.packages);
  const nodeFromHost = closure.missing.includes("nodejs");
  const missing = closure.missing.filter((name) => name !== "nodejs" || !nodeFromHost);
  const hash = createHash("sha256")
    .update(JSON.stringify({ layoutVersion, spec, nodeFromHost, node: process.execPath }))
    .update(closure.packages.map((pkg) => `${pkg.name}=${pkg.version}`).join("\n"))
    .digest("hex")
    .slice(0, 16);
  const dir = path.join(params.cacheDir, `${params.name}-${hash}`);
  if (await stat(path.join(dir, ".complete")).catch(() => undefined)) return { dir, missing };

  const building = `${dir}.building-${randomBytes(4).toString("hex")}`;
  try {
    const linker = createLinker(building);
    for (const file of await packageFiles(closure.packages.map((pkg) => pkg.name))) {
      await linker.take(file, await inUsr(file));
    }
    if (nodeFromHost) await takeHostNode(linker);
    else
      for (const tree of spec.hostTrees) await linker.takeTree(tree, (await inUsr(tree)) ?? tree);
    await linker.alternatives();
    for (const [at, target] of Object.entries(spec.links)) await linker.symlink(target, at);
    await linker.write("/usr/bin/sudo", sudoShim, 0o755);
    await writeFile(path.join(building, ".complete"), `${new Date().toISOString()}\n`);
    await rename(building, dir).catch(async (error: NodeJS.ErrnoException) => {
      // Another process built the same template meanwhile: keep theirs.
      if (error.code !== "ENOTEMPTY" && error.code !== "EEXIST") throw error;
      await rm(building, { recursive: true, force: true });
    });
  } catch (error) {
    await rm(building, { recursive: true, force: true });
    throw error;
  }
  return { dir, missing };
}

async function packageFiles(names: string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const { stdout } = await run("dpkg-query", ["-L", ...names], { maxBuffer: 256 << 20 });
  return stdout.split("\n").filter((line) => line.startsWith("/"));
}

/**
 * Where a package's path lives in a merged-/usr tree (`/bin/sh` -> `/usr/bin/sh`), as in
 * current Debian images; undefined for what is not a program or library (`/etc`, `/var`).
 */
async function inUsr(file: string): Promise<string | undefined> {
  if (skipped.some((prefix) => file.startsWith(prefix))) return undefined;
  if (file === "/usr" || file.startsWith("/usr/")) return file;
  const top = file.split("/")[1] ?? "";
  if (!/^(bin|sbin|lib|lib32|lib64|libx32)$/.test(top)) return undefined;
  return `/usr${file}`;
}

function createLinker(root: string) {
  const made = new Set<string>();
  const target = (at: string) => path.join(root, at);
  const ensureDir = async (at: string) => {
    if (made.has(at)) return;
    await mkdir(target(at), { recursive: true, mode: 0o755 });
    made.add(at);
  };
  const linker = {
    /** Takes the host's `from` (file, link or directory) into the root at `at`. */
    async take(from: string, at: string | undefined): Promise<void> {
      if (!at || made.has(at)) return;
      const info = await lstat(from).catch(() => undefined);
      if (!info) return;
      // `/bin`, `/lib`...: on a merged-/usr machine a link to usr/..., here the directory.
      if (info.isDirectory() || path.posix.dirname(from) === "/") return ensureDir(at);
      await ensureDir(path.posix.dirname(at));
      if (info.isSymbolicLink()) await linker.symlink(await readlink(from), at);
      else if (info.isFile()) {
        await link(from, target(at)).catch(async (error: NodeJS.ErrnoException) => {
          if (error.code === "EEXIST") return;
          if (error.code !== "EXDEV" && error.code !== "EPERM") throw error;
          await copyFile(from, target(at));
          await chmod(target(at), info.mode & 0o7777);
        });
      }
      made.add(at);
    },
    async symlink(to: string, at: string): Promise<void> {
      await ensureDir(path.posix.dirname(at));
      await rm(target(at), { force: true });
      await symlink(to, target(at));
      made.add(at);
    },
    async write(at: string, content: string, mode: number): Promise<void> {
      await ensureDir(path.posix.dirname(at));
      await rm(target(at), { force: true });
      await writeFile(target(at), content, { mode });
      made.add(at);
    },
    /** `/usr/bin/awk` -> `/etc/alternatives/awk` and the like, for programs the root has. */
    async alternatives(): Promise<void> {
      for (const dir of ["/usr/bin", "/usr/sbin"]) {
        for (const name of await readdir(dir).catch(() => [] as string[])) {
          const at = path.posix.join(dir, name);
          if (made.has(at)) continue;
          const to = await readlink(at).catch(() => undefined);
          if (!to?.startsWith("/etc/alternatives/")) continue;
          const program = await inUsr(await realpath(at).catch(() => ""));
          if (program && made.has(program)) await linker.symlink(to, at);
        }
      }
    },
    /** A whole host tree (a Node install's npm), file by file. */
    async takeTree(from: string, at: string): Promise<void> {
      await linker.take(from, at);
      const info = await lstat(from).catch(() => undefined);
      if (!info?.isDirectory()) return;
      for (const name of await readdir(from)) {
        await linker.takeTree(path.join(from, name), path.posix.join(at, name));
      }
    },
  };
  return linker;
}

/** The running Node and its npm, from wherever this machine installed them. */
async function takeHostNode(linker: ReturnType<typeof createLinker>): Promise<void> {
  const node = await realpath(process.execPath);
  await linker.take(node, "/usr/local/bin/node");
  const npm = path.join(path.dirname(path.dirname(node)), "lib", "node_modules", "npm");
  if (!(await stat(npm).catch(() => undefined))) return;
  await linker.takeTree(npm, "/usr/local/lib/node_modules/npm");
  await linker.symlink("../lib/node_modules/npm/bin/npm-cli.js", "/usr/local/bin/npm");
  await linker.symlink("../lib/node_modules/npm/bin/npx-cli.js", "/usr/local/bin/npx");
}
