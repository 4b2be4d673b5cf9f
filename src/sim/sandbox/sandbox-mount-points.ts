import { readFile } from "node:fs/promises";

/** Filesystems that are views of the kernel, never a sandbox's files. */
const virtualTypes = new Set([
  "proc",
  "sysfs",
  "devpts",
  "devtmpfs",
  "mqueue",
  "cgroup",
  "cgroup2",
]);

/**
 * The mount points, as the sandbox sees them, that are not the sandbox's own
 * storage: read-only binds of the host (`/usr`, `/etc`, the template's tools) and
 * kernel views (`/proc`, `/dev`). What is left is `/` and the home's tmpfs: what a
 * snapshot copies. `root` is the server's view of the sandbox (`sandbox.dir`); only
 * under bwrap (`/proc/<init pid>/root`) has it mounts of its own.
 */
export async function sandboxMountPoints(root: string): Promise<string[]> {
  const init = /^\/proc\/(\d+)\/root$/.exec(root)?.[1];
  if (!init) return [];
  const table = await readFile(`/proc/${init}/mountinfo`, "utf8");
  const skipped: string[] = [];
  for (const line of table.split("\n")) {
    // id parent major:minor root mountpoint options [optional...] - type source super
    const [mountFields, typeFields] = line.split(" - ");
    const fields = mountFields?.split(" ") ?? [];
    const mountPoint = fields[4];
    if (!mountPoint || mountPoint === "/") continue;
    const readOnly = (fields[5] ?? "").split(",").includes("ro");
    const type = typeFields?.split(" ")[0] ?? "";
    if (readOnly || virtualTypes.has(type) || mountPoint === "/dev") {
      skipped.push(unescapeMountPath(mountPoint));
    }
  }
  return skipped;
}

/** mountinfo writes space, tab, newline and backslash as octal escapes (`\040`). */
function unescapeMountPath(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, octal: string) =>
    String.fromCharCode(Number.parseInt(octal, 8)),
  );
}
