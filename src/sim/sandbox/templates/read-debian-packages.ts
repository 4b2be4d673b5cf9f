import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** One package dpkg knows is installed on this machine. */
export interface DebianPackage {
  name: string;
  version: string;
  essential: boolean;
  /** Each entry a list of alternatives (`a | b`), names only. */
  depends: string[][];
  provides: string[];
}

/**
 * The installed packages of this machine, from dpkg's database (empty where there is
 * no dpkg: a template then lists everything it wanted as missing).
 */
export async function readDebianPackages(): Promise<Map<string, DebianPackage>> {
  const fields = [
    "Package",
    "db:Status-Abbrev",
    "Version",
    "Essential",
    "Pre-Depends",
    "Depends",
    "Provides",
  ];
  const format = `${fields.map((field) => `\${${field}}`).join("\t")}\n`;
  let stdout: string;
  try {
    ({ stdout } = await run("dpkg-query", ["-W", "-f", format], { maxBuffer: 64 << 20 }));
  } catch {
    return new Map();
  }
  const packages = new Map<string, DebianPackage>();
  for (const line of stdout.split("\n")) {
    const [name, status, version, essential, preDepends, depends, provides] = line.split("\t");
    if (!name || !status?.startsWith("ii")) continue;
    packages.set(name, {
      name,
      version: version ?? "",
      essential: essential === "yes",
      depends: relations(`${preDepends ?? ""}, ${depends ?? ""}`).map((alternatives) =>
        alternatives.split("|").map(nameOf),
      ),
      provides: relations(provides ?? "").map(nameOf),
    });
  }
  return packages;
}

function relations(field: string): string[] {
  return field
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
}

/** `libc6 (>= 2.34)` or `perl:any` -> `libc6`, `perl`. */
function nameOf(relation: string): string {
  return (relation.trim().split(/[\s(]/)[0] ?? "").split(":")[0] ?? "";
}
