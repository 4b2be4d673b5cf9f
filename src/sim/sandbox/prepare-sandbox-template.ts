import { existsSync } from "node:fs";
import { mkdir, stat, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import type { IsolationMode } from "./resolve-isolation.js";
import { sandboxUser } from "./sandbox-user.js";
import type { TemplateRoot } from "./templates/build-template-root.js";

/** What every sandbox of one server is made from: the local "template". */
export interface SandboxTemplate {
  readonly isolation: IsolationMode;
  /** A synthesized `/etc` (bwrap): our passwd, group, hosts, profile; no host secrets. */
  readonly etcDir: string;
  /** Host `/etc` entries that are safe to share, ro-bound over `etcDir` (bwrap). */
  readonly hostEtcEntries: readonly string[];
  /** `/bin`, `/lib`...: symlinks into the template's `/usr` (bwrap). */
  readonly systemEntries: ReadonlyArray<{ path: string; symlink: string }>;
  /** The `opencode` binary preinstalled in the template, if any. */
  readonly opencodeBinary: string | undefined;
  /** The directory sandbox processes find `opencode` in, as they see it. */
  readonly toolsPath: string | undefined;
  /** The host directory that is the sandbox's `/usr` under bwrap: the template's programs. */
  readonly usrDir: string;
  /** PATH in the sandbox: the template's programs (without isolation, at their host paths). */
  readonly searchPath: string;
  /** Packages the template has on E2B that this machine could not provide. */
  readonly missing: readonly string[];
}

/** Where `opencode` appears inside bwrap sandboxes. */
const sandboxToolsDir = "/opt/opencode/bin";

/**
 * Host `/etc` entries a shell, git, node and opencode need. Everything else in the
 * host's `/etc` stays invisible: it can hold credentials (`npmrc`, `pip.conf`,
 * `gitconfig` helpers, `shadow`).
 */
const sharedEtcEntries = [
  "alternatives",
  "ca-certificates",
  "ld.so.cache",
  "ld.so.conf",
  "ld.so.conf.d",
  "localtime",
  "mime.types",
  "protocols",
  "resolv.conf",
  "services",
  "ssl",
];

/** Top-level system paths besides `/usr` that binaries resolve through. */
const systemPaths = ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];

/**
 * Prepares, once per server and under `dir`, what sandboxes share: the synthesized
 * `/etc` (bwrap) and the tools directory (`none`: a directory holding a link to
 * `opencode`, put on PATH by each sandbox's `~/.profile`).
 */
export async function prepareSandboxTemplate(params: {
  dir: string;
  isolation: IsolationMode;
  /** Where the template's programs come from (built once, see `buildTemplateRoot`). */
  root: TemplateRoot;
  opencodeBinary: string | undefined;
}): Promise<SandboxTemplate> {
  const { dir, isolation, opencodeBinary } = params;
  const etcDir = path.join(dir, "etc");
  await mkdir(etcDir, { recursive: true });
  const { name, uid, gid, home } = sandboxUser;
  await writeFile(
    path.join(etcDir, "passwd"),
    `root:x:0:0:root:/root:/bin/bash\n${name}:x:${uid}:${gid}:${name}:${home}:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n`,
  );
  await writeFile(path.join(etcDir, "group"), `root:x:0:\n${name}:x:${gid}:\nnogroup:x:65534:\n`);
  await writeFile(path.join(etcDir, "hostname"), "e2b.local\n");
  await writeFile(
    path.join(etcDir, "hosts"),
    "127.0.0.1\tlocalhost e2b.local\n::1\tlocalhost ip6-localhost ip6-loopback\n",
  );
  await writeFile(
    path.join(etcDir, "nsswitch.conf"),
    "passwd: files\ngroup: files\nshadow: files\nhosts: files dns\n",
  );
  // Login shells (`bash -l`, how envd runs every command) reset PATH here, as Debian's does.
  await writeFile(
    path.join(etcDir, "profile"),
    'PATH="/usr/local/bin:/usr/bin:/bin"\nexport PATH\n',
  );

  const hostEtcEntries: string[] = [];
  for (const entry of sharedEtcEntries) {
    const hostPath = path.join("/etc", entry);
    const info = await stat(hostPath).catch(() => undefined);
    if (!info) continue;
    // A bind needs a mountpoint of the same kind inside the (read-only) synthesized /etc.
    const placeholder = path.join(etcDir, entry);
    if (info.isDirectory()) await mkdir(placeholder, { recursive: true });
    else if (!existsSync(placeholder)) await writeFile(placeholder, "");
    hostEtcEntries.push(entry);
  }

  // The template's tree is merged-/usr, as current Debian images are: `/bin` -> usr/bin.
  const usrDir = path.join(params.root.dir, "usr");
  const systemEntries: Array<{ path: string; symlink: string }> = [];
  for (const systemPath of systemPaths) {
    const inUsr = path.join(usrDir, path.basename(systemPath));
    if (await stat(inUsr).catch(() => undefined)) {
      systemEntries.push({ path: systemPath, symlink: `usr/${path.basename(systemPath)}` });
    }
  }

  let toolsPath: string | undefined;
  if (opencodeBinary && isolation === "bwrap") toolsPath = sandboxToolsDir;
  if (opencodeBinary && isolation === "none") {
    toolsPath = path.join(dir, "bin");
    await mkdir(toolsPath, { recursive: true });
    await symlink(opencodeBinary, path.join(toolsPath, "opencode")).catch((error) => {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    });
  }
  const programDirs =
    isolation === "bwrap"
      ? ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]
      : ["local/sbin", "local/bin", "sbin", "bin"].map((sub) => path.join(usrDir, sub));
  const searchPath = [...programDirs, ...(toolsPath ? [toolsPath] : [])].join(":");
  return {
    isolation,
    etcDir,
    hostEtcEntries,
    systemEntries,
    opencodeBinary,
    toolsPath,
    usrDir,
    searchPath,
    missing: params.root.missing,
  };
}
